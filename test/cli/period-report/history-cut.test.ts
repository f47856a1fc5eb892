/**
 * An alarm-history scan cut after its page cap (oldest first, so the latest changes are the ones
 * missing): the scan says up to when it is complete, and a run after that reads inconclusive.
 */
import type { CloudWatchClient } from '@aws-sdk/client-cloudwatch';
import { readAlarmHistory } from '../../../lib/cli/period-report/alerts';
import { describeRun, FoundRun } from '../../../lib/cli/period-report/experiments';

const T = Date.parse('2024-04-20T00:00:00Z');
const MINUTE = 60_000;

/** A client whose DescribeAlarmHistory never ends: page n holds one change to ALARM at T + n minutes. */
function endlessHistory(): { client: CloudWatchClient; pages: () => number } {
  let calls = 0;
  const client = {
    send: async (command: { input: { NextToken?: string } }) => {
      calls++;
      const n = command.input.NextToken ? Number(command.input.NextToken) : 0;
      return {
        AlarmHistoryItems: [{
          AlarmName: 'probe', Timestamp: new Date(T + n * MINUTE), HistoryItemType: 'StateUpdate',
          HistoryData: JSON.stringify({ oldState: { stateValue: 'OK' }, newState: { stateValue: 'ALARM' } }),
        }],
        NextToken: String(n + 1),
      };
    },
  } as unknown as CloudWatchClient;
  return { client, pages: () => calls };
}

describe('an alarm history cut after its page cap', () => {
  test('the scan stops at the cap and says up to when it is complete (the last change read), not silently', async () => {
    const { client, pages } = endlessHistory();
    const history = await readAlarmHistory({ client, region: 'eu-west-1', sleep: async () => {} }, ['probe'], T - MINUTE, T + 60 * MINUTE, new Set(), 3);
    expect(pages()).toBe(3);
    expect(history.alarms.get('probe')).toEqual([T, T + MINUTE, T + 2 * MINUTE]);
    expect(history.readTo).toBe(T + 2 * MINUTE);
  });

  test('a stopped run ending after the history read is inconclusive, not stopped by a person', () => {
    const run: FoundRun = {
      template: { stack: 'Shop', service: 'search', experiment: 'handler-errors' },
      experiment: { id: 'EXPlate', state: { status: 'stopped' }, startTime: new Date(T + 10 * MINUTE), endTime: new Date(T + 20 * MINUTE) },
      stopConditionArns: ['arn:aws:cloudwatch:eu-west-1:111122223333:alarm:probe'],
    };
    const plan = { id: 'EXT1', origin: 'fis' as const, tags: {}, actions: [], targets: {}, stopConditions: [], logDestinations: [] };
    const changes = new Map([['probe', [{ at: T, from: 'ALARM', to: 'OK' }]]]);
    const described = describeRun(undefined, run, plan, { alarms: new Map([['probe', []]]), changes, region: 'eu-west-1', readFrom: T - MINUTE, readTo: T + 2 * MINUTE }, T + 60 * MINUTE);
    expect(described).toEqual(expect.objectContaining({ verdict: 'inconclusive' }));
    expect(described.reason).toBe('INCONCLUSIVE: the alarm history was read up to 2024-04-20T00:02:00.000Z only (more than 1000 pages of DescribeAlarmHistory): '
      + 'whether a stop condition fired during the run cannot be told');
    const complete = describeRun(undefined, run, plan, { alarms: new Map([['probe', []]]), changes, region: 'eu-west-1', readFrom: T - MINUTE }, T + 60 * MINUTE);
    expect(complete.verdict).toBe('stopped-by-person');
  });
});
