import { Column, IWidget, Row } from 'aws-cdk-lib/aws-cloudwatch';

/** The dashboard grid's width. */
export const GRID_WIDTH = 24;

/**
 * A widget whose rows are produced when the dashboard body is rendered (at synth), so that parts
 * known only then (experiments added later, the links between a service's dashboards) take their
 * place in a fixed order. The dashboard reads its size, positions it, then renders it: one layout
 * serves those three calls, and the next rendering starts afresh.
 */
export class DeferredLayout implements IWidget {
  public readonly warnings?: string[] = undefined;
  public readonly warningsV2?: { [id: string]: string } = undefined;
  private current?: Column;

  constructor(private readonly produce: () => IWidget[][]) {}

  public get width(): number {
    return GRID_WIDTH;
  }

  public get height(): number {
    return this.layout().height;
  }

  public position(x: number, y: number): void {
    this.layout().position(x, y);
  }

  public toJson(): any[] {
    const json = this.layout().toJson();
    this.current = undefined;
    return json;
  }

  private layout(): Column {
    this.current ??= new Column(...this.produce().filter((row) => row.length > 0).map((row) => new Row(...row)));
    return this.current;
  }
}
