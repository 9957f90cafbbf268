namespace Publisher.DeploymentCheck.Internal;

/// <summary>
/// The default quotas that bound how many publishes a second a deployment can take, in one place, as AWS and Momento
/// document them (read on <see cref="Prices.CheckedOn"/>): each is a soft limit, raised on request.
/// </summary>
internal static class ServiceLimits
{
    /// <summary>
    /// Momento Topics: publish requests a second per cache, by default (docs.momentohq.com, service limits: "Throughput
    /// per cache: 10 publish requests/sec"; the newer quota page counts each publish and each delivery as an operation
    /// against 10 a second). Raised by Momento support (name the cache, its region and the rate).
    /// </summary>
    public const double MomentoPublishesPerSecond = 10;

    /// <summary>
    /// API Gateway: requests a second per account and region, shared by every REST, HTTP and WebSocket API there, with
    /// a burst of 5,000 (API Gateway quotas). Raised through Service Quotas.
    /// </summary>
    public const double ApiGatewayAccountRequestsPerSecond = 10_000;

    /// <summary>Lambda: concurrent executions per account and region (Lambda quotas; new accounts start lower). Raised through Service Quotas.</summary>
    public const double LambdaAccountConcurrency = 1_000;

    /// <summary>
    /// Lambda: requests a second one unit of concurrency serves at most (Lambda enforces ten times the concurrency as
    /// its requests-per-second limit, however short the invocations).
    /// </summary>
    public const double RequestsPerSecondPerConcurrency = 10;
}
