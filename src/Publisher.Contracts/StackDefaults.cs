namespace Publisher.Contracts;

/// <summary>
/// The stack's defaults that more than the CDK app reads: the deployment checker's cost model prices and limits a
/// default deployment with them. The CDK settings (and cdk/README.md) take their defaults from here.
/// </summary>
public static class StackDefaults
{
    /// <summary>Steady-state requests per second of the stage (and the REST API's usage plan).</summary>
    public const int ThrottleRateLimit = 50;

    /// <summary>Burst requests of the stage (and the REST API's usage plan).</summary>
    public const int ThrottleBurstLimit = 100;

    /// <summary>Requests per day per API key (REST API, API key mode).</summary>
    public const int QuotaPerDay = 100_000;

    /// <summary>Publisher memory in MB.</summary>
    public const int MemorySize = 256;

    /// <summary>The publisher's reserved concurrency behind function URLs, which have no rate throttle.</summary>
    public const int FunctionUrlReservedConcurrency = 10;
}
