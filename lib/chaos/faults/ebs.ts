/**
 * EBS volume faults. Action, target and permissions: FIS actions reference, "Amazon EBS actions"
 * (https://docs.aws.amazon.com/fis/latest/userguide/fis-actions-reference.html#ebs-actions-reference), and
 * "Pause I/O fault injection" (https://docs.aws.amazon.com/ebs/latest/userguide/ebs-fis-pause-io.html):
 * Nitro-based instances only; while paused, the volume turns `impaired` and `VolumeStalledIOCheck` reads 1.
 */
import { Duration, Stack } from 'aws-cdk-lib';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import { FIS_ACTIONS } from '../catalog';
import { byArns, durationParameter, FaultContext, forDuration, isTyped, OptionReader, ResolvedFault, resourcesOf } from '../fault-action';
import { Targets } from '../targets';

/** Options of `Fault.ebsPauseVolumeIo`. */
export interface EbsPauseVolumeIoOptions {
  /**
   * How long the volumes' I/O is paused, 1 minute to 12 hours. To test the operating system's
   * NVMe timeout, make it at least `nvme_core.io_timeout`.
   * @default - the experiment's duration
   */
  readonly duration?: Duration;
}

/** `aws:ebs:pause-volume-io`. */
export function ebsPauseVolumeIo(target: Targets, options: EbsPauseVolumeIoOptions | undefined, context: FaultContext): ResolvedFault {
  const reader = new OptionReader(context.prop);
  const stack = Stack.of(context.scope);
  const resolved = resourcesOf<ec2.IVolume>(reader, target, ['volumes'], (x) => typeof (x as ec2.IVolume)?.volumeId === 'string', 'an EBS volume');
  const seconds = reader.duration(options?.duration, context);
  const targets = isTyped(resolved)
    ? byArns(reader, resolved, (v) => stack.formatArn({ service: 'ec2', resource: 'volume', resourceName: v.volumeId }))
    : resolved;
  return reader.action(() => ({
    definition: FIS_ACTIONS.ebsPauseVolumeIo,
    description: `Pauses the I/O of the EBS volume(s)${forDuration(seconds)} (reads and writes hang; the volume turns impaired)`,
    parameters: durationParameter(seconds),
    target: targets,
    durationSeconds: seconds,
  }));
}
