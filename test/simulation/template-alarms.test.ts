/** Reading an SLO's alarms back from a template: metrics with their identity, evaluation settings, expressions. */
import { sloAlarmsFromTemplate } from '../../lib/simulation/template-alarms';

const alarm = (name: string, extra: Record<string, unknown> = {}) => ({
  Type: 'AWS::CloudWatch::Alarm',
  Properties: {
    AlarmName: name,
    Threshold: 14.4,
    ComparisonOperator: 'GreaterThanThreshold',
    EvaluationPeriods: 1,
    Metrics: [
      { Id: 'expr_1', Expression: 'IF(total0 > 0, FILL(bad0, 0) / total0, 0) / 0.001' },
      {
        Id: 'total0',
        ReturnData: false,
        MetricStat: {
          Metric: {
            Namespace: 'AWS/Lambda',
            MetricName: 'Invocations',
            Dimensions: [{ Name: 'Resource', Value: 'live' }, { Name: 'FunctionName', Value: { Ref: 'Fn9270CBC0' } }],
          },
          Period: 300,
          Stat: 'Sum',
          Unit: 'Count',
        },
      },
      { Id: 'bad0', ReturnData: false, Expression: 'e1 + e2' },
      { Id: 'e1', ReturnData: false, MetricStat: { Metric: { Namespace: 'AWS/Lambda', MetricName: 'Errors' }, Period: 300, Stat: 'Sum' } },
      { Id: 'e2', ReturnData: false, MetricStat: { Metric: { Namespace: 'AWS/Lambda', MetricName: 'Throttles', Dimensions: [{ Name: 'FunctionName', Value: { 'Fn::GetAtt': ['Fn9270CBC0', 'Arn'] } }] }, Period: 300, Stat: 'Sum' } },
    ],
    ...extra,
  },
});

const template = (extra?: Record<string, unknown>) => ({
  Resources: {
    Short: alarm('svc-slo-page-1h-5m-short', extra),
    Page: { Type: 'AWS::CloudWatch::CompositeAlarm', Properties: { AlarmName: 'svc-slo-page', AlarmRule: { 'Fn::Join': ['', ['ALARM("', { 'Fn::GetAtt': ['Short', 'Arn'] }, '")']] } } },
  },
});

describe('reading window alarms back', () => {
  test('each metric with its dimensions (sorted, deploy-time values as ${LogicalId.Attribute}), statistic and unit', () => {
    const [short] = sloAlarmsFromTemplate(template(), 'svc', 'slo').windowAlarms;
    expect(short.metrics.total0).toEqual({
      namespace: 'AWS/Lambda', metricName: 'Invocations', dimensions: { FunctionName: '${Fn9270CBC0}', Resource: 'live' }, statistic: 'Sum', unit: 'Count',
    });
    expect(Object.keys(short.metrics.total0.dimensions)).toEqual(['FunctionName', 'Resource']);
    expect(short.metrics.e1).toEqual({ namespace: 'AWS/Lambda', metricName: 'Errors', dimensions: {}, statistic: 'Sum' });
    expect(short.metrics.e2.dimensions).toEqual({ FunctionName: '${Fn9270CBC0.Arn}' });
    expect(short.expressions).toEqual({ bad0: 'e1 + e2' });
  });

  test('EvaluationPeriods and DatapointsToAlarm (which defaults to EvaluationPeriods), TreatMissingData (default missing)', () => {
    expect(sloAlarmsFromTemplate(template(), 'svc', 'slo').windowAlarms[0]).toMatchObject({
      evaluationPeriods: 1, datapointsToAlarm: 1, treatMissingData: 'missing', periodSeconds: 300,
    });
    expect(sloAlarmsFromTemplate(template({ EvaluationPeriods: 3, DatapointsToAlarm: 2, TreatMissingData: 'notBreaching' }), 'svc', 'slo').windowAlarms[0])
      .toMatchObject({ evaluationPeriods: 3, datapointsToAlarm: 2, treatMissingData: 'notBreaching' });
    expect(sloAlarmsFromTemplate(template({ EvaluationPeriods: 3 }), 'svc', 'slo').windowAlarms[0].datapointsToAlarm).toBe(3);
  });
});
