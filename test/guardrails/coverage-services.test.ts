/**
 * RELIABILITY-008 on the resource types of issue 13: DynamoDB tables (Table and TableV2) and AppSync
 * GraphQL APIs without an SLO are reported with the preset that covers them; an SLO built with that
 * preset covers them.
 */
import { Duration } from 'aws-cdk-lib';
import * as appsync from 'aws-cdk-lib/aws-appsync';
import { Metric } from 'aws-cdk-lib/aws-cloudwatch';
import * as dynamodb from 'aws-cdk-lib/aws-dynamodb';
import { Construct } from 'constructs';
import { Sli } from '../../lib';
import { coverageFindings } from './helpers';

const partitionKey = { name: 'pk', type: dynamodb.AttributeType.STRING };

function graphqlApi(scope: Construct) {
  return new appsync.GraphqlApi(scope, 'Graphql', {
    name: 'shop', definition: appsync.Definition.fromSchema(appsync.SchemaFile.fromAsset(`${__dirname}/../simulation/failure-modes/schema.graphql`)),
  });
}

describe('RELIABILITY-008 on DynamoDB tables and AppSync APIs', () => {
  test('a Table, a TableV2 and a GraphQL API no SLO reads are reported, each with the preset that covers it', () => {
    const findings = coverageFindings((stack) => {
      new dynamodb.Table(stack, 'Orders', { partitionKey });
      new dynamodb.TableV2(stack, 'Carts', { partitionKey });
      graphqlApi(stack);
      return [Sli.ratio({ bad: new Metric({ namespace: 'Shop', metricName: 'Errors' }), total: new Metric({ namespace: 'Shop', metricName: 'Requests' }) })];
    });
    expect(findings).toEqual([
      expect.stringMatching(/^\[slo-coverage\] DynamoDB table Shop\/Orders \(Orders\w+\) is not covered by any SLO: no SLI reads a metric with its TableName dimension\. Add an SLO \(e\.g\. Sli\.tableAvailability\(table, \{ operations \}\)\)/),
      expect.stringMatching(/^\[slo-coverage\] DynamoDB table Shop\/Carts \(Carts\w+\) is not covered .* Sli\.tableAvailability\(table, \{ operations \}\)/),
      expect.stringMatching(/^\[slo-coverage\] GraphQL API Shop\/Graphql \(Graphql\w+\) is not covered by any SLO: no SLI reads a metric with its GraphQLAPIId dimension\. Add an SLO \(e\.g\. Sli\.graphqlApiAvailability\(api\)\)/),
    ]);
  });

  test('the presets cover them: the table by its name (a reference), the API by its id (an attribute)', () => {
    expect(coverageFindings((stack) => [
      Sli.tableAvailability(new dynamodb.Table(stack, 'Orders', { partitionKey }), { operations: [dynamodb.Operation.GET_ITEM] }),
      Sli.tableLatency(new dynamodb.TableV2(stack, 'Carts', { partitionKey }), { operation: dynamodb.Operation.QUERY, threshold: Duration.millis(50) }),
      Sli.graphqlApiAvailability(graphqlApi(stack)),
    ])).toEqual([]);
  });

  test('a table with a literal TableName is covered by an SLI that names it', () => {
    expect(coverageFindings((stack) => {
      new dynamodb.Table(stack, 'Orders', { partitionKey, tableName: 'orders' });
      return [Sli.tableAvailability(dynamodb.Table.fromTableName(stack, 'Imported', 'orders'), { operations: [dynamodb.Operation.PUT_ITEM] })];
    })).toEqual([]);
  });
});
