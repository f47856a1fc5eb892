/**
 * The FIS Lambda extension, wired for the user: FIS writes a fault's configuration to an S3
 * prefix, and the extension (a layer that wraps the runtime) reads it before each invocation.
 * One configuration bucket per stack; each function gets the layer for its architecture (ARN from
 * FIS's public SSM parameter), the two environment variables, and read access to the prefix.
 * https://docs.aws.amazon.com/fis/latest/userguide/use-lambda-actions.html
 */
import { Duration, Names, RemovalPolicy, Stack } from 'aws-cdk-lib';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import * as s3 from 'aws-cdk-lib/aws-s3';
import * as ssm from 'aws-cdk-lib/aws-ssm';
import { Construct } from 'constructs';
import { suppressWildcardFindings, withWildcardReason } from '../nag/suppressions';
import { describeValue } from '../private/describe';
import { suppressConfigBucketFindings, FAULT_CONFIGS_REASON } from './nag-suppressions';

/** Prefix of the fault configurations in the bucket. */
export const FIS_CONFIG_PREFIX = 'FisConfigs/';
/** The runtime wrapper the extension installs. */
export const FIS_EXEC_WRAPPER = '/opt/aws-fis/bootstrap';

/** SSM parameter holding the extension's layer ARN in each region. */
export function extensionLayerParameter(architecture: lambda.Architecture): string {
  const name = architecture.name === lambda.Architecture.ARM_64.name ? 'arm64' : 'x86_64';
  return `/aws/service/fis/lambda-extension/AWS-FIS-extension-${name}/1.x.x`;
}

const ID = 'ReliabilityFisLambdaExtension';
const WIRED = new WeakMap<lambda.IFunction, FisLambdaExtension>();

/** The stack's fault-configuration bucket and the functions wired to it. */
export class FisLambdaExtension extends Construct {
  /** The stack's instance, created on first use. */
  public static of(scope: Construct): FisLambdaExtension {
    if (!Construct.isConstruct(scope)) {
      throw new Error(`FisLambdaExtension.of(scope): scope must be a construct in a Stack (e.g. the stack or the function), got ${describeValue(scope)}`);
    }
    const stack = Stack.of(scope);
    return (stack.node.tryFindChild(ID) as FisLambdaExtension | undefined) ?? new FisLambdaExtension(stack, ID);
  }

  /** Where FIS writes fault configurations. */
  public readonly bucket: s3.Bucket;

  private constructor(scope: Construct, id: string) {
    super(scope, id);
    this.bucket = new s3.Bucket(this, 'ConfigBucket', {
      encryption: s3.BucketEncryption.S3_MANAGED,
      blockPublicAccess: s3.BlockPublicAccess.BLOCK_ALL,
      enforceSSL: true,
      // FIS deletes a configuration when its action ends; this only sweeps leftovers of an
      // interrupted experiment (no experiment runs longer than 12 hours).
      lifecycleRules: [{ prefix: FIS_CONFIG_PREFIX, expiration: Duration.days(2) }],
      removalPolicy: RemovalPolicy.RETAIN,
    });
    suppressConfigBucketFindings(this.bucket);
  }

  /** `arn:aws:s3:::<bucket>/FisConfigs/`, the value of `AWS_FIS_CONFIGURATION_LOCATION`. */
  public get configurationLocation(): string {
    return `${this.bucket.bucketArn}/${FIS_CONFIG_PREFIX}`;
  }

  /**
   * Lets an experiment role write and delete fault configurations. Returns the statement, which
   * carries its reason for cdk-nag (`suppressWildcardFindings` on the role that holds it).
   */
  public grantWrite(role: iam.IGrantable): iam.PolicyStatement {
    const statement = withWildcardReason(new iam.PolicyStatement({
      actions: ['s3:PutObject', 's3:DeleteObject'],
      resources: [this.bucket.arnForObjects(`${FIS_CONFIG_PREFIX}*`)],
    }), FAULT_CONFIGS_REASON);
    role.grantPrincipal.addToPrincipalPolicy(statement);
    return statement;
  }

  /**
   * Why this library cannot attach the extension to `fn`, or `undefined`: imported functions,
   * container images and OS-only runtimes (no runtime wrapper) cannot be changed.
   */
  public static attachProblem(fn: lambda.IFunction): string | undefined {
    if (!(fn instanceof lambda.Function)) {
      return `${fn.node.path} is an imported function; the FIS Lambda extension can only be attached to functions this app declares. `
        + 'Attach it in the app that owns the function (layer, AWS_FIS_CONFIGURATION_LOCATION, AWS_LAMBDA_EXEC_WRAPPER) and target it with Targets.arns([...])';
    }
    const wrapper = environmentValue(fn, 'AWS_LAMBDA_EXEC_WRAPPER');
    if (wrapper !== undefined && wrapper !== FIS_EXEC_WRAPPER) {
      return `${fn.node.path} already has AWS_LAMBDA_EXEC_WRAPPER=${wrapper} (another layer's wrapper, e.g. OpenTelemetry): the FIS extension's wrapper `
        + 'would replace it and silently disable that layer. Chain the wrappers in a script of your own, attach the extension yourself, and target the function with Targets.arns([...])';
    }
    const runtime = fn.runtime;
    if (runtime.family === lambda.RuntimeFamily.OTHER || runtime.name === lambda.Runtime.FROM_IMAGE.name) {
      return `${fn.node.path} uses runtime ${runtime.name}, which has no runtime wrapper (AWS_LAMBDA_EXEC_WRAPPER): `
        + 'the FIS Lambda extension cannot be attached by this library. Build the extension into the image or use a managed runtime';
    }
    return undefined;
  }

  /**
   * Attaches the extension to a function: layer, environment, read access. Idempotent. Throws
   * (with `where`) for functions it cannot change: imported functions, container images and
   * OS-only runtimes (no runtime wrapper).
   */
  public attach(fn: lambda.IFunction, where: string): void {
    const wiredTo = WIRED.get(fn);
    if (wiredTo === this) {
      return;
    }
    if (wiredTo) {
      throw new Error(`${where}: ${fn.node.path} already reads fault configurations from ${wiredTo.node.path}; a function reads one location, `
        + 'so declare the experiments that hit it in one stack');
    }
    const problem = FisLambdaExtension.attachProblem(fn);
    if (problem) {
      throw new Error(`${where}: ${problem}`);
    }
    const declared = fn as lambda.Function;
    declared.addLayers(this.layer(declared.architecture));
    declared.addEnvironment('AWS_FIS_CONFIGURATION_LOCATION', this.configurationLocation);
    declared.addEnvironment('AWS_LAMBDA_EXEC_WRAPPER', FIS_EXEC_WRAPPER);
    // A policy of this construct, attached to the function's role: the read grant and its cdk-nag
    // suppression stay with the library, and nothing is suppressed on the user's role.
    const statements = [
      new iam.PolicyStatement({
        actions: ['s3:ListBucket'],
        resources: [this.bucket.bucketArn],
        conditions: { StringLike: { 's3:prefix': [`${FIS_CONFIG_PREFIX}*`] } },
      }),
      withWildcardReason(new iam.PolicyStatement({
        actions: ['s3:GetObject'],
        resources: [this.bucket.arnForObjects(`${FIS_CONFIG_PREFIX}*`)],
      }), FAULT_CONFIGS_REASON),
    ];
    if (declared.role) {
      const policy = new iam.Policy(this, `Read-${Names.nodeUniqueId(declared.node)}`, { roles: [declared.role], statements });
      suppressWildcardFindings(policy, statements);
      // The function reads the prefix from its first invocation after the deploy. The dependency is
      // the function resource's: a default role is a child of the function, and the policy needs it.
      declared.node.defaultChild!.node.addDependency(policy);
    }
    WIRED.set(fn, this);
  }

  /** The extension layer for an architecture, its ARN read from FIS's public SSM parameter at deploy time. */
  private layer(architecture: lambda.Architecture): lambda.ILayerVersion {
    const id = `Layer-${architecture.name}`;
    const existing = this.node.tryFindChild(id) as lambda.ILayerVersion | undefined;
    if (existing) {
      return existing;
    }
    const arn = ssm.StringParameter.valueForStringParameter(Stack.of(this), extensionLayerParameter(architecture));
    return lambda.LayerVersion.fromLayerVersionArn(this, id, arn);
  }
}

/**
 * A function's environment variable as declared so far. aws-cdk-lib keeps the environment private
 * (a plain record in older releases, a map box since 2.2xx); read either, and treat anything else
 * as unknown.
 */
function environmentValue(fn: lambda.Function, key: string): string | undefined {
  const env = (fn as unknown as { environment?: unknown }).environment;
  const entry = (container: unknown): unknown => {
    if (container instanceof Map) {
      return container.get(key);
    }
    if (container && typeof container === 'object' && typeof (container as { get?: unknown }).get === 'function') {
      const got = (container as { get(k?: string): unknown }).get(key);
      return got instanceof Map ? got.get(key) : got;
    }
    return container && typeof container === 'object' ? (container as Record<string, unknown>)[key] : undefined;
  };
  const found = entry(env) as { value?: unknown } | undefined;
  return typeof found?.value === 'string' ? found.value : undefined;
}
