/**
 * EBS volume faults. Action, target and permissions: FIS actions reference, "Amazon EBS actions"
 * (https://docs.aws.amazon.com/fis/latest/userguide/fis-actions-reference.html#ebs-actions-reference), and
 * "Pause I/O fault injection" (https://docs.aws.amazon.com/ebs/latest/userguide/ebs-fis-pause-io.html):
 * Nitro-based instances only; while paused, the volume turns `impaired` and `VolumeStalledIOCheck` reads 1.
 * I/O latency: the same reference (#volume-latency-injection) and
 * https://docs.aws.amazon.com/ebs/latest/userguide/ebs-fis-latency-injection.html. Both act on
 * volumes of one Availability Zone.
 */
import { Duration, Stack, Token } from 'aws-cdk-lib';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import { describeValue } from '../../private/describe';
import { FIS_ACTIONS } from '../catalog';
import { byArns, durationParameter, FaultContext, forDuration, isTyped, OptionReader, ResolvedFault, resourcesOf } from '../fault-action';
import { Targets } from '../targets';

/** Options of `Fault.ebsPauseVolumeIo`. */
export interface EbsPauseVolumeIoOptions {
  /**
   * How long the volumes' I/O is paused, 1 second to 12 hours (FIS's bounds). To test the
   * operating system's NVMe timeout, make it at least `nvme_core.io_timeout`.
   * @default - the experiment's duration
   */
  readonly duration?: Duration;
}

/** Both EBS actions last from one second (actions reference, #pause-volume-io and #volume-latency-injection). */
const EBS_MIN_DURATION = Duration.seconds(1);

/**
 * The volumes of an EBS fault: typed volumes by ARN, or the resolved target as given. Both EBS
 * actions take volumes of one Availability Zone only ("The target volumes must be in the same
 * Availability Zone", FIS actions reference, #pause-volume-io and #volume-latency-injection): typed
 * volumes whose zones are known at synth and differ are refused; zones that are tokens, and
 * volumes by ARN or tags, are FIS's to check when the experiment starts.
 */
function volumeTargets(reader: OptionReader, target: Targets, stack: Stack): Targets | undefined {
  const resolved = resourcesOf<ec2.IVolume>(reader, target, ['volumes'], (x) => typeof (x as ec2.IVolume)?.volumeId === 'string', 'an EBS volume');
  if (!isTyped(resolved)) {
    return resolved;
  }
  const zones = resolved.resources.map((v) => v.availabilityZone).filter((z) => typeof z === 'string' && !Token.isUnresolved(z));
  if (new Set(zones).size > 1) {
    const where = resolved.resources.map((v) => `${v.node.path} in ${Token.isUnresolved(v.availabilityZone) ? 'a zone known at deploy time' : v.availabilityZone}`);
    reader.problem('target', `must be volumes of one Availability Zone (FIS acts on the volumes of one zone per action), got ${where.join(', ')}: `
      + 'give one fault per zone (Fault.parallel)');
    return undefined;
  }
  return byArns(reader, resolved, (v) => stack.formatArn({ service: 'ec2', resource: 'volume', resourceName: v.volumeId }));
}

/** `aws:ebs:pause-volume-io`. */
export function ebsPauseVolumeIo(target: Targets, options: EbsPauseVolumeIoOptions | undefined, context: FaultContext): ResolvedFault {
  const reader = new OptionReader(context.prop);
  const targets = volumeTargets(reader, target, Stack.of(context.scope));
  const seconds = reader.duration(options?.duration, context, 'duration', EBS_MIN_DURATION);
  return reader.action(() => ({
    definition: FIS_ACTIONS.ebsPauseVolumeIo,
    description: `Pauses the I/O of the EBS volume(s)${forDuration(seconds)} (reads and writes hang; the volume turns impaired)`,
    parameters: durationParameter(seconds),
    target: targets,
    durationSeconds: seconds,
  }));
}

/** Options of `Fault.ebsVolumeIoLatency`. */
export interface EbsVolumeIoLatencyOptions {
  /**
   * Share of the volumes' read I/O operations delayed, 0.1 to 100 %.
   * @default 100
   */
  readonly readIoPercentage?: number;
  /**
   * Latency added to those reads, 1 ms (io2 volumes; 10 ms for other types) to 60 seconds.
   * @default Duration.millis(100)
   */
  readonly readIoLatency?: Duration;
  /**
   * Share of the volumes' write I/O operations delayed, 0.1 to 100 %.
   * @default 100
   */
  readonly writeIoPercentage?: number;
  /**
   * Latency added to those writes, 1 ms (io2 volumes; 10 ms for other types) to 60 seconds.
   * @default Duration.millis(100)
   */
  readonly writeIoLatency?: Duration;
  /**
   * How long the latency lasts, 1 second to 12 hours (FIS's bounds).
   * @default - the experiment's duration
   */
  readonly duration?: Duration;
}

/** FIS's defaults and bounds of `aws:ebs:volume-io-latency` (actions reference, #volume-latency-injection). */
const DEFAULT_IO_LATENCY = Duration.millis(100);

/** A percentage from 0.1 to 100 with at most one decimal, or its default. */
function ioPercentage(reader: OptionReader, value: number | undefined, name: string): string {
  const v = value ?? 100;
  if (typeof v !== 'number' || !Number.isFinite(v) || v < 0.1 || v > 100 || Math.round(v * 10) !== v * 10) {
    reader.problem(name, `must be a percentage from 0.1 to 100 (at most one decimal), got ${describeValue(v)}`);
  }
  return String(v);
}

/** `aws:ebs:volume-io-latency`. */
export function ebsVolumeIoLatency(target: Targets, options: EbsVolumeIoLatencyOptions | undefined, context: FaultContext): ResolvedFault {
  const reader = new OptionReader(context.prop);
  const targets = volumeTargets(reader, target, Stack.of(context.scope));
  const readPercent = ioPercentage(reader, options?.readIoPercentage, 'readIoPercentage');
  const readMs = reader.milliseconds(options?.readIoLatency ?? DEFAULT_IO_LATENCY, 'readIoLatency', 1, 60_000);
  const writePercent = ioPercentage(reader, options?.writeIoPercentage, 'writeIoPercentage');
  const writeMs = reader.milliseconds(options?.writeIoLatency ?? DEFAULT_IO_LATENCY, 'writeIoLatency', 1, 60_000);
  const seconds = reader.duration(options?.duration, context, 'duration', EBS_MIN_DURATION);
  return reader.action(() => ({
    definition: FIS_ACTIONS.ebsVolumeIoLatency,
    description: `Adds ${readMs} ms to ${readPercent} % of the reads and ${writeMs} ms to ${writePercent} % of the writes of the EBS volume(s)${forDuration(seconds)}`,
    parameters: {
      ...durationParameter(seconds),
      readIOPercentage: readPercent, readIOLatencyMilliseconds: String(readMs),
      writeIOPercentage: writePercent, writeIOLatencyMilliseconds: String(writeMs),
    },
    target: targets,
    durationSeconds: seconds,
  }));
}
