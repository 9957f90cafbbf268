using Publisher.Contracts;
using Publisher.DeploymentCheck.Internal;
using Publisher.DeploymentCheck.Tests.Infrastructure;

namespace Publisher.DeploymentCheck.Tests;

/// <summary>
/// The cost model against hand calculations written out here from the published prices (us-east-1): requests a month
/// = publishes/s × 730 h × 3600 s; gateway = requests through the door's tiers; Lambda = $0.20 per million requests
/// plus requests × billed seconds × memory GB × the architecture's GB-second price.
/// </summary>
public sealed class CostModelTests
{
    [Fact]
    public void Monthly_100PerSecond256MbX64_MatchesTheHandCalculation()
    {
        // 100/s × 730 h × 3600 s = 262,800,000 requests = 262.8 million.
        // REST: 262.8 × $3.50 = $919.80 (all in the first 333 million). HTTP: 262.8 × $1.00 = $262.80. Function URL: $0.
        // Lambda requests: 262.8 × $0.20 = $52.56.
        // Duration: 262,800,000 × 0.001 s × 0.25 GB = 65,700 GB-s × $0.0000166667 = $1.0950021900 (first 6 billion GB-s).
        var workload = new Workload(100, 256, Architecture.X64, 1);
        const decimal lambda = 52.56m + 1.09500219m;

        Assert.Equal(262_800_000m, workload.MonthlyRequests);
        AssertCost(CostModel.Monthly(FrontDoor.RestApi, workload), 919.80m, 52.56m, 1.09500219m, 919.80m + lambda);
        AssertCost(CostModel.Monthly(FrontDoor.HttpApi, workload), 262.80m, 52.56m, 1.09500219m, 262.80m + lambda);
        AssertCost(CostModel.Monthly(FrontDoor.FunctionUrl, workload), 0m, 52.56m, 1.09500219m, lambda);
        // Per million publishes: total ÷ 262.8.
        Assert.Equal(3.7041666750m, decimal.Round(CostModel.Monthly(FrontDoor.RestApi, workload).PerMillion, 10));
        Assert.Equal(1.2041666750m, decimal.Round(CostModel.Monthly(FrontDoor.HttpApi, workload).PerMillion, 10));
        Assert.Equal(0.2041666750m, decimal.Round(CostModel.Monthly(FrontDoor.FunctionUrl, workload).PerMillion, 10));
    }

    [Fact]
    public void Monthly_1000PerSecond512MbArm64_CrossesTheGatewayTiersAsByHand()
    {
        // 1,000/s × 730 × 3600 = 2,628,000,000 requests = 2,628 million.
        // REST: 333 × $3.50 + 667 × $2.80 + (2,628 − 1,000) × $2.38 = 1,165.50 + 1,867.60 + 3,874.64 = $6,907.74.
        // HTTP: 300 × $1.00 + 2,328 × $0.90 = 300 + 2,095.20 = $2,395.20.
        // Lambda requests: 2,628 × $0.20 = $525.60.
        // 3.4 ms is billed as 4 ms: 2,628,000,000 × 0.004 s × 0.5 GB = 5,256,000 GB-s × $0.0000133334 (arm64, first 7.5 billion) = $70.0803504.
        var workload = new Workload(1000, 512, Architecture.Arm64, 3.4);

        Assert.Equal(4, workload.BilledMs);
        AssertCost(CostModel.Monthly(FrontDoor.RestApi, workload), 6_907.74m, 525.60m, 70.0803504m, 6_907.74m + 525.60m + 70.0803504m);
        AssertCost(CostModel.Monthly(FrontDoor.HttpApi, workload), 2_395.20m, 525.60m, 70.0803504m, 2_395.20m + 525.60m + 70.0803504m);
        AssertCost(CostModel.Monthly(FrontDoor.FunctionUrl, workload), 0m, 525.60m, 70.0803504m, 525.60m + 70.0803504m);
    }

    [Fact]
    public void Monthly_DurationPastTheFirstGbSecondTier_PricesEachBandByHand()
    {
        // 10,000/s × 730 × 3600 = 26,280,000,000 requests; 10 GB (10,240 MB) for 30 ms:
        // 26,280,000,000 × 0.030 s × 10 GB = 7,884,000,000 GB-s on x86_64:
        // 6,000,000,000 × $0.0000166667 + 1,884,000,000 × $0.000015 = $100,000.20 + $28,260.00 = $128,260.20.
        var cost = CostModel.Monthly(FrontDoor.FunctionUrl, new Workload(10_000, 10_240, Architecture.X64, 30));

        Assert.Equal(128_260.20m, cost.LambdaDuration);
        Assert.Equal(26_280m * 0.20m, cost.LambdaRequests);
    }

    [Theory]
    [InlineData(0.233, 1)]
    [InlineData(1.0, 1)]
    [InlineData(1.01, 2)]
    [InlineData(6.35, 7)]
    public void BilledMs_IsTheDurationRoundedUpToAMillisecond(double duration, int billed) =>
        Assert.Equal(billed, new Workload(1, DurationMs: duration).BilledMs);

    [Fact]
    public void Limits_StackDefaults_FirstIsTheKeysQuotaOnRestAndMomentosRateElsewhere()
    {
        var stack = new StackLimits();

        var rest = CostModel.Limits(FrontDoor.RestApi, stack, 1);
        var http = CostModel.Limits(FrontDoor.HttpApi, stack, 1);
        var url = CostModel.Limits(FrontDoor.FunctionUrl, stack, 1);

        // 100,000 requests a day ÷ 86,400 s = 1.157/s; Momento 10/s; the stage 50/s; 10,000/s for both account limits.
        Assert.Equal([100_000 / 86_400.0, 10, 50, 10_000, 10_000], rest.Select(l => l.RequestsPerSecond));
        Assert.StartsWith("the API key's daily quota", rest[0].Name, StringComparison.Ordinal);
        Assert.Equal([10, 50, 10_000, 10_000], http.Select(l => l.RequestsPerSecond));
        Assert.StartsWith("Momento's publish rate", http[0].Name, StringComparison.Ordinal);
        // 10 reserved × at most 10 requests a second each = 100/s (10 ÷ 1 ms would allow 10,000/s).
        Assert.Equal([10, 100, 10_000], url.Select(l => l.RequestsPerSecond));
        Assert.StartsWith("the publisher's reserved concurrency", url[1].Name, StringComparison.Ordinal);
    }

    [Fact]
    public void Limits_LongInvocations_BindConcurrencyByDuration()
    {
        // 250 ms each: 40 reserved ÷ 0.25 s = 160/s (below 40 × 10 = 400/s); 1,000 ÷ 0.25 s = 4,000/s for the account.
        var url = CostModel.Limits(FrontDoor.FunctionUrl, new StackLimits(ReservedConcurrency: 40), 250);

        Assert.Equal([10, 160, 4_000], url.Select(l => l.RequestsPerSecond));
    }

    [Fact]
    public async Task Cost_CommandLine_PrintsTheHandCalculatedBillAndTheFirstLimits()
    {
        var run = await CliRun.RunAsync("cost", "--rps", "100");

        Assert.Equal(0, run.ExitCode);
        Assert.Contains("262,800,000 a month of 730 h", run.Output, StringComparison.Ordinal);
        Assert.Matches(@"restApi\s+\$919\.80\s+\$52\.56\s+\$1\.10\s+\$973\.46\s+\$3\.7042", run.Output);
        Assert.Matches(@"httpApi\s+\$262\.80\s+\$52\.56\s+\$1\.10\s+\$316\.46\s+\$1\.2042", run.Output);
        Assert.Matches(@"functionUrl\s+\$0\.00\s+\$52\.56\s+\$1\.10\s+\$53\.66\s+\$0\.2042", run.Output);
        Assert.Contains("us-east-1, read 2026-12-03", run.Output, StringComparison.Ordinal);
        Assert.Matches(@"restApi\n\s+1\.16/s\s+the API key's daily quota", run.Output);
        Assert.Matches(@"functionUrl\n\s+10/s\s+Momento's publish rate per cache: ask Momento support to raise the cache's limit  EXCEEDED at this traffic\n\s+100/s\s+the publisher's reserved concurrency \(reservedConcurrency 10\): -c reservedConcurrency=N", run.Output);
    }

    [Fact]
    public async Task Cost_OneDoorWithItsSettings_PricesAndLimitsThatDoorOnly()
    {
        var run = await CliRun.RunAsync("cost", "--rps", "5", "--door", "functionUrl", "--arch", "arm64", "--memory", "512", "--duration-ms", "12.5", "--reserved-concurrency", "3");

        Assert.Equal(0, run.ExitCode);
        Assert.DoesNotContain("restApi", run.Output, StringComparison.Ordinal);
        Assert.DoesNotContain("httpApi", run.Output, StringComparison.Ordinal);
        // 5/s: 13,140,000 requests; 13.14 × $0.20 = $2.628; 13,140,000 × 0.013 s × 0.5 GB = 85,410 GB-s × $0.0000133334 = $1.1388.
        Assert.Matches(@"functionUrl\s+\$0\.00\s+\$2\.63\s+\$1\.14\s+\$3\.77\s+\$0\.2867", run.Output);
        // 3 reserved ÷ 0.0125 s = 240/s, above 3 × 10 = 30/s.
        Assert.Matches(@"30/s\s+the publisher's reserved concurrency \(reservedConcurrency 3\)", run.Output);
        Assert.Contains("512 MB arm64, 13 ms billed", run.Output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Cost_Chart_WritesAnSvgWithALinePerDoor()
    {
        var file = Path.Combine(Path.GetTempPath(), "cost-chart-" + Guid.NewGuid().ToString("N"), "cost.svg");
        try
        {
            var run = await CliRun.RunAsync("cost", "--rps", "1", "--chart", file);

            Assert.Equal(0, run.ExitCode);
            var svg = await File.ReadAllTextAsync(file);
            Assert.StartsWith("<?xml", svg, StringComparison.Ordinal);
            Assert.All(FrontDoors.All, d => Assert.Contains(">" + d.Name + "<", svg, StringComparison.Ordinal));
            Assert.Contains("Cost per million publishes by front door", svg, StringComparison.Ordinal);
            Assert.Equal(51, CostChart.Rates().Count());
        }
        finally
        {
            Directory.Delete(Path.GetDirectoryName(file)!, recursive: true);
        }
    }

    [Fact]
    public void CheckedInChart_IsWhatTheModelDrawsToday()
    {
        var checkedIn = Path.Combine(RepositoryRoot.FullName, "docs", "benchmarks", "cost-per-million.svg");
        var file = Path.Combine(Path.GetTempPath(), "cost-chart-" + Guid.NewGuid().ToString("N") + ".svg");
        try
        {
            // The README's chart: the defaults (256 MB, x86_64, the benchmark's 1 ms).
            CostChart.Write(file, new Workload(1));

            Assert.True(
                File.ReadAllText(checkedIn) == File.ReadAllText(file),
                "docs/benchmarks/cost-per-million.svg is stale: dotnet run --project src/Publisher.DeploymentCheck -- cost --rps 10 --chart docs/benchmarks/cost-per-million.svg");
        }
        finally
        {
            File.Delete(file);
        }
    }

    [Theory]
    [InlineData("--rps must be a number of publishes a second above 0 and at most 1,000,000, not '0'.", "cost", "--rps", "0")]
    [InlineData("--rps must be a number of publishes a second above 0 and at most 1,000,000, not 'lots'.", "cost", "--rps", "lots")]
    [InlineData("Option '--rps' is required.", "cost")]
    [InlineData("--door must be restApi, httpApi, functionUrl, not 'alb'.", "cost", "--rps", "1", "--door", "alb")]
    [InlineData("Argument 'x64' not recognized. Must be one of:", "cost", "--rps", "1", "--arch", "x64")]
    [InlineData("--memory must be a whole number from 128 to 10240, not '64'.", "cost", "--rps", "1", "--memory", "64")]
    [InlineData("--duration-ms must be above 0 and at most 900000 (Lambda's 15 minutes), not '-1'.", "cost", "--rps", "1", "--duration-ms", "-1")]
    public async Task Cost_UsageError_ExitsTwoNamingTheOption(string message, params string[] args)
    {
        var run = await CliRun.RunAsync(args);

        Assert.Equal(2, run.ExitCode);
        Assert.StartsWith(message, run.Error, StringComparison.Ordinal);
    }

    private static void AssertCost(DoorCost cost, decimal gateway, decimal lambdaRequests, decimal lambdaDuration, decimal total)
    {
        Assert.Equal(gateway, cost.Gateway);
        Assert.Equal(lambdaRequests, cost.LambdaRequests);
        Assert.Equal(lambdaDuration, cost.LambdaDuration);
        Assert.Equal(total, cost.Total);
    }
}
