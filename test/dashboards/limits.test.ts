import { chunk, placeSection } from '../../lib/dashboards/limits';

const BUDGET = { metrics: 500, widgets: 100 };

describe('placing an SLO\'s widgets', () => {
  test('goes on the first dashboard when there is none yet', () => {
    expect(placeSection([], { metrics: 30, widgets: 5 }, BUDGET)).toBe(0);
  });

  test('goes on the last dashboard while it fits', () => {
    expect(placeSection([{ metrics: 470, widgets: 60, sections: 10 }], { metrics: 30, widgets: 5 }, BUDGET)).toBe(0);
  });

  test('opens a new dashboard when the metrics would exceed 500', () => {
    expect(placeSection([{ metrics: 471, widgets: 60, sections: 10 }], { metrics: 30, widgets: 5 }, BUDGET)).toBe(1);
  });

  test('opens a new dashboard when the widgets would exceed 100', () => {
    expect(placeSection([{ metrics: 100, widgets: 96, sections: 10 }], { metrics: 30, widgets: 5 }, BUDGET)).toBe(1);
  });

  test('never goes back to an earlier dashboard, so the order stays the order of declaration', () => {
    expect(placeSection([{ metrics: 10, widgets: 2, sections: 1 }, { metrics: 490, widgets: 90, sections: 10 }], { metrics: 30, widgets: 5 }, BUDGET)).toBe(2);
  });

  test('stays on a dashboard that holds no SLO yet, whatever it needs', () => {
    expect(placeSection([{ metrics: 8, widgets: 10, sections: 0 }], { metrics: 499, widgets: 120 }, BUDGET)).toBe(0);
  });
});

describe('chunk', () => {
  test('splits a list into pieces of at most the size, in order', () => {
    expect(chunk([1, 2, 3, 4, 5], 2)).toEqual([[1, 2], [3, 4], [5]]);
    expect(chunk([], 2)).toEqual([[]]);
  });
});
