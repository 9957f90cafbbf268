using System.Globalization;
using Publisher.Contracts;

namespace Publisher.DeploymentCheck.Internal;

/// <summary>The functions' instruction set, which sets the price of a GB-second.</summary>
internal enum Architecture
{
    /// <summary>x86_64 (the stack's default).</summary>
    X64,

    /// <summary>arm64 (Graviton).</summary>
    Arm64,
}

/// <summary>What a deployment does a month: its traffic and what each invocation costs Lambda.</summary>
/// <param name="RequestsPerSecond">Publishes a second, steady over the month.</param>
/// <param name="MemoryMb">The publisher's memory.</param>
/// <param name="Architecture">Its instruction set.</param>
/// <param name="DurationMs">
/// How long an invocation runs. Lambda bills it rounded up to the next millisecond; it also holds one unit of
/// concurrency that long. Default <see cref="CostModel.BenchmarkDurationMs"/>.
/// </param>
internal sealed record Workload(double RequestsPerSecond, int MemoryMb = StackDefaults.MemorySize, Architecture Architecture = Architecture.X64, double DurationMs = CostModel.BenchmarkDurationMs)
{
    /// <summary>Invocations a month (<see cref="Prices.HoursPerMonth"/> hours).</summary>
    public decimal MonthlyRequests => (decimal)RequestsPerSecond * Prices.HoursPerMonth * 3600m;

    /// <summary>Milliseconds billed per invocation: the duration rounded up, at least 1.</summary>
    public int BilledMs => Math.Max(1, (int)Math.Ceiling(DurationMs - 1e-9));
}

/// <summary>One door's monthly bill, by line.</summary>
internal sealed record DoorCost(FrontDoor Door, decimal MonthlyRequests, decimal Gateway, decimal LambdaRequests, decimal LambdaDuration)
{
    /// <summary>Everything.</summary>
    public decimal Total => Gateway + LambdaRequests + LambdaDuration;

    /// <summary>What a million publishes cost at this traffic.</summary>
    public decimal PerMillion => MonthlyRequests == 0 ? 0 : Total / MonthlyRequests * 1_000_000m;
}

/// <summary>A limit on publishes a second, where it binds and how to raise it.</summary>
/// <param name="Name">What it is.</param>
/// <param name="RequestsPerSecond">The traffic at which it starts refusing (429s).</param>
/// <param name="HowToRaise">What to change.</param>
internal sealed record Limit(string Name, double RequestsPerSecond, string HowToRaise);

/// <summary>The stack settings that set a door's limits (defaults: the stack's).</summary>
internal sealed record StackLimits(
    int ThrottleRateLimit = StackDefaults.ThrottleRateLimit,
    int QuotaPerDay = StackDefaults.QuotaPerDay,
    int ReservedConcurrency = StackDefaults.FunctionUrlReservedConcurrency);

/// <summary>
/// The cost and capacity of each front door: the monthly bill from the public prices (<see cref="Prices"/>) and the
/// duration the benchmark measured, and the limits traffic meets as it grows (<see cref="ServiceLimits"/>).
/// </summary>
internal static class CostModel
{
    /// <summary>
    /// The warm AOT invocation the benchmark measures (docs/benchmarks.md, "Other suites": under 1 ms at the median, the local
    /// Topics server on loopback), which Lambda bills as 1 ms. On AWS the publish waits a round trip to Momento inside the
    /// region on top; pass what CloudWatch's Duration shows. A cold start bills its init too, once per execution
    /// environment: nothing at steady traffic.
    /// </summary>
    public const double BenchmarkDurationMs = 1;

    /// <summary>The monthly bill of <paramref name="door"/> carrying <paramref name="workload"/>.</summary>
    public static DoorCost Monthly(FrontDoor door, Workload workload)
    {
        ArgumentNullException.ThrowIfNull(workload);
        var requests = workload.MonthlyRequests;
        var gatewayTiers = door switch
        {
            FrontDoor.RestApi => Prices.RestApiRequests,
            FrontDoor.HttpApi => Prices.HttpApiRequests,
            _ => Prices.FunctionUrlRequests,
        };
        var gbSeconds = requests * workload.BilledMs / 1000m * workload.MemoryMb / 1024m;
        var durationTiers = workload.Architecture == Architecture.Arm64 ? Prices.LambdaGbSecondArm64 : Prices.LambdaGbSecondX64;
        return new DoorCost(
            door,
            requests,
            Tier.Cost(gatewayTiers, requests),
            Tier.Cost(Prices.LambdaRequests, requests),
            Tier.Cost(durationTiers, gbSeconds));
    }

    /// <summary>Every limit on <paramref name="door"/>'s publishes a second, the lowest (the first met as traffic grows) first.</summary>
    public static IReadOnlyList<Limit> Limits(FrontDoor door, StackLimits stack, double durationMs)
    {
        ArgumentNullException.ThrowIfNull(stack);
        var seconds = Math.Max(durationMs, 0.001) / 1000;
        var limits = new List<Limit>
        {
            new("Momento's publish rate per cache", ServiceLimits.MomentoPublishesPerSecond,
                "ask Momento support to raise the cache's limit"),
            new($"Lambda's account concurrency ({N(ServiceLimits.LambdaAccountConcurrency)})",
                Math.Min(ServiceLimits.LambdaAccountConcurrency / seconds, ServiceLimits.LambdaAccountConcurrency * ServiceLimits.RequestsPerSecondPerConcurrency),
                "request more concurrent executions in Service Quotas"),
        };
        if (door == FrontDoor.RestApi)
        {
            limits.Add(new($"the API key's daily quota (quotaPerDay {N(stack.QuotaPerDay)}), averaged over a day", stack.QuotaPerDay / 86_400.0,
                "-c quotaPerDay=N, or -c authMode=iam (no key, no quota)"));
        }

        if (door != FrontDoor.FunctionUrl)
        {
            limits.Add(new($"the stage throttle (throttleRateLimit {N(stack.ThrottleRateLimit)})", stack.ThrottleRateLimit,
                "-c throttleRateLimit=N -c throttleBurstLimit=M"));
            limits.Add(new("API Gateway's account throttle, shared by every API in the region", ServiceLimits.ApiGatewayAccountRequestsPerSecond,
                "request a higher throttle quota in Service Quotas"));
        }
        else
        {
            limits.Add(new($"the publisher's reserved concurrency (reservedConcurrency {N(stack.ReservedConcurrency)})",
                Math.Min(stack.ReservedConcurrency / seconds, stack.ReservedConcurrency * ServiceLimits.RequestsPerSecondPerConcurrency),
                "-c reservedConcurrency=N (the account keeps 100 unreserved)"));
        }

        return [.. limits.OrderBy(l => l.RequestsPerSecond)];
    }

    private static string N(double value) => value.ToString("#,0", CultureInfo.InvariantCulture);
}
