/**
 * SLI presets for Amazon CloudFront distributions.
 */
import { IMetric, Metric, Stats } from 'aws-cdk-lib/aws-cloudwatch';
import { IDistribution } from 'aws-cdk-lib/aws-cloudfront';
import { ISli, SliBinding } from '../sli-definition';

/** The only region CloudFront publishes its metrics to. */
export const CLOUDFRONT_METRICS_REGION = 'us-east-1';

function distributionMetric(distribution: IDistribution, metricName: string, statistic: string): Metric {
  return new Metric({
    namespace: 'AWS/CloudFront',
    metricName,
    dimensionsMap: { DistributionId: distribution.distributionId, Region: 'Global' },
    statistic,
    region: CLOUDFRONT_METRICS_REGION,
  });
}

/**
 * Distribution availability: viewer requests answered with a 5xx over all viewer requests,
 * counted as `5xxErrorRate` (`Average`, percent) × `Requests` (`Sum`) / 100 over `Requests`
 * (namespace AWS/CloudFront, dimensions DistributionId and Region=Global). "Types of metrics for
 * CloudFront" (docs.aws.amazon.com/AmazonCloudFront/latest/DeveloperGuide/programming-cloudwatch-metrics.html):
 * the Region dimension is always `Global`, "you must use the US East (N. Virginia) Region
 * (us-east-1)" to get the metrics, `Requests` is "the total number of viewer requests received by
 * CloudFront, for all HTTP methods and for both HTTP and HTTPS requests" (statistic Sum), and
 * `5xxErrorRate` "the percentage of all viewer requests for which the response's HTTP status code
 * is 5xx" (statistic Average, unit Percent); each metric has one valid statistic. CloudFront
 * publishes no count of 5xx responses, hence the product.
 *
 * The metrics are pinned to us-east-1, and CloudWatch alarms only watch metrics of their own
 * region: the SLO must be declared in a stack whose env is us-east-1 (any other region, and an
 * environment-agnostic stack, is refused at synth).
 *
 * Approximation: each alarm evaluates its alert window as one period, so the bad events of a
 * window are the window's `Average` error rate times its requests. Not verified against AWS's
 * documentation, which gives the statistic but not the samples behind it: this assumes CloudFront
 * publishes one `5xxErrorRate` sample a minute, so that the `Average` over a window is the mean
 * of its minutes' rates. Then the product is exact while the error rate or the traffic is even
 * within the window; when errors come with a traffic peak (or a trough) the count is off by the
 * covariance of the two — a burst of errors during a quiet minute of a busy hour weighs as much
 * as the same rate during the busy minutes. If CloudFront instead publishes a statistic set
 * weighted by requests, the `Average` is request-weighted and the product is exact. Check a
 * distribution's samples a minute:
 *
 * ```
 * aws cloudwatch get-metric-statistics --region us-east-1 --namespace AWS/CloudFront
 *   --metric-name 5xxErrorRate --dimensions Name=DistributionId,Value=<id> Name=Region,Value=Global
 *   --statistics SampleCount --period 60 --start-time <start> --end-time <end>
 * ```
 *
 * A SampleCount of about 1 a minute means the model holds; about the minute's `Requests` means the
 * `Average` is request-weighted and the preset is exact. Errors
 * CloudFront returns itself (an origin it cannot reach, a function that fails) count as bad;
 * 4xx count as good; viewers that never reach CloudFront are not seen.
 */
export function distributionAvailability(distribution: IDistribution): ISli {
  return new DistributionAvailabilitySli(distribution);
}

/**
 * The ratio kind reads every metric as a count (`Average` read as `Sum`), which would add the
 * minutes' error rates: this SLI binds the product itself.
 */
class DistributionAvailabilitySli implements ISli {
  public readonly kind = 'ratio';

  constructor(private readonly distribution: IDistribution) {}

  public validate(): string[] {
    return [];
  }

  public bind(): SliBinding {
    const usingMetrics: Record<string, IMetric> = {
      rate0: distributionMetric(this.distribution, '5xxErrorRate', Stats.AVERAGE),
      total0: distributionMetric(this.distribution, 'Requests', Stats.SUM),
    };
    return {
      usingMetrics,
      badEvents: '(FILL(rate0, 0) * FILL(total0, 0) / 100)',
      totalEvents: 'FILL(total0, 0)',
      metricCount: 2,
      description: `5xxErrorRate × Requests / 100 over Requests of distribution ${this.distribution.node.id}`,
    };
  }
}
