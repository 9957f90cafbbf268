using System.CommandLine;
using System.Globalization;
using CommandLineSupport;
using Publisher.Contracts;

namespace Publisher.DeploymentCheck.Internal;

/// <summary><c>cost --rps N</c>: each front door's monthly bill at that traffic, and the limits it meets as traffic grows.</summary>
internal static class CostCommand
{
    private static readonly CultureInfo Invariant = CultureInfo.InvariantCulture;

    public static Command Create()
    {
        var rps = new Option<double>("--rps")
        {
            Description = "publishes a second, steady over the month",
            HelpName = "N",
            Required = true,
            CustomParser = result =>
            {
                var text = result.Tokens.Count > 0 ? result.Tokens[^1].Value : string.Empty;
                if (double.TryParse(text, NumberStyles.Float, Invariant, out var value) && value > 0 && value <= 1_000_000)
                {
                    return value;
                }

                result.AddError($"--rps must be a number of publishes a second above 0 and at most 1,000,000, not '{text}'.");
                return 0;
            },
        };
        var door = new Option<FrontDoor?>("--door")
        {
            Description = "one door (default: all three)",
            HelpName = string.Join('|', FrontDoors.All.Select(d => d.Name)),
            CustomParser = result =>
            {
                var text = result.Tokens.Count > 0 ? result.Tokens[^1].Value : string.Empty;
                var parsed = FrontDoors.Parse(text);
                if (parsed is null)
                {
                    result.AddError($"--door must be {string.Join(", ", FrontDoors.All.Select(d => d.Name))}, not '{text}'.");
                }

                return parsed;
            },
        };
        var memory = CommandLineRunner.IntOption("--memory", "the publisher's memory in MB (the stack's memorySize)", StackDefaults.MemorySize, 128, 10_240);
        var architecture = new Option<string>("--arch")
        {
            Description = "the functions' instruction set (the stack's architecture)",
            HelpName = "x86_64|arm64",
            DefaultValueFactory = _ => "x86_64",
        };
        architecture.AcceptOnlyFromAmong("x86_64", "arm64");
        var duration = new Option<double>("--duration-ms")
        {
            Description = "how long an invocation runs (default 1: the benchmark's warm invocation takes under 1 ms, billed as 1 ms; on AWS add the round trip to Momento)",
            HelpName = "MS",
            DefaultValueFactory = _ => CostModel.BenchmarkDurationMs,
            CustomParser = result =>
            {
                var text = result.Tokens.Count > 0 ? result.Tokens[^1].Value : string.Empty;
                if (double.TryParse(text, NumberStyles.Float, Invariant, out var value) && value > 0 && value <= 900_000)
                {
                    return value;
                }

                result.AddError($"--duration-ms must be above 0 and at most 900000 (Lambda's 15 minutes), not '{text}'.");
                return 0;
            },
        };
        var throttle = CommandLineRunner.IntOption("--throttle-rate", "the stage throttle of the gateway doors (the stack's throttleRateLimit)", StackDefaults.ThrottleRateLimit, 1, 1_000_000);
        var reserved = CommandLineRunner.IntOption("--reserved-concurrency", "the publisher's reserved concurrency behind function URLs (the stack's reservedConcurrency)", StackDefaults.FunctionUrlReservedConcurrency, 1, 1_000_000);
        var chart = new Option<FileInfo>("--chart")
        {
            Description = "also write an SVG chart of the cost per million publishes of each door, from 1 to 100,000 a second",
            HelpName = "FILE",
        };

        var command = new Command("cost", $"Each front door's monthly cost at a traffic, from AWS's public prices ({Prices.Region}, read {Prices.CheckedOn:yyyy-MM-dd}), and the limits it meets as traffic grows.")
        {
            rps, door, memory, architecture, duration, throttle, reserved, chart,
        };
        command.SetAction(async (parse, cancellationToken) =>
        {
            var workload = new Workload(
                parse.GetValue(rps),
                parse.GetValue(memory),
                parse.GetValue(architecture) == "arm64" ? Architecture.Arm64 : Architecture.X64,
                parse.GetValue(duration));
            var doors = parse.GetValue(door) is { } one ? [one] : FrontDoors.All.Select(d => d.Door).ToArray();
            var stack = new StackLimits(parse.GetValue(throttle), StackDefaults.QuotaPerDay, parse.GetValue(reserved));
            var output = parse.InvocationConfiguration.Output;
            await output.WriteAsync(Report(workload, doors, stack)).ConfigureAwait(false);
            if (parse.GetValue(chart) is { } file)
            {
                CostChart.Write(file.FullName, workload with { RequestsPerSecond = 1 });
                await output.WriteLineAsync($"Chart: {file.FullName}").ConfigureAwait(false);
            }

            return 0;
        });
        return command;
    }

    /// <summary>The printed report: the bill per door, then each door's limits in the order traffic meets them.</summary>
    internal static string Report(Workload workload, IReadOnlyList<FrontDoor> doors, StackLimits stack)
    {
        ArgumentNullException.ThrowIfNull(workload);
        var text = new System.Text.StringBuilder();
        text.Append(Invariant, $"Monthly cost at {workload.RequestsPerSecond:#,0.###} publishes/s ({workload.MonthlyRequests:#,0} a month of {Prices.HoursPerMonth:0} h), ")
            .Append(Invariant, $"{workload.MemoryMb} MB {(workload.Architecture == Architecture.Arm64 ? "arm64" : "x86_64")}, ")
            .Append(Invariant, $"{workload.BilledMs} ms billed per invocation\n")
            .Append(Invariant, $"Prices: {Prices.Region}, read {Prices.CheckedOn:yyyy-MM-dd} from {Prices.Sources}; free tiers, data transfer and logs left out\n\n");
        text.Append(Invariant, $"{"door",-12} {"gateway",12} {"Lambda req.",12} {"Lambda GB-s",12} {"total",12} {"per million",12}\n");
        foreach (var door in doors)
        {
            var cost = CostModel.Monthly(door, workload);
            text.Append(Invariant, $"{door.Name(),-12} {Money(cost.Gateway),12} {Money(cost.LambdaRequests),12} {Money(cost.LambdaDuration),12} {Money(cost.Total),12} {PerMillion(cost.PerMillion),12}\n");
        }

        text.Append("\nLimits as traffic grows (stack defaults unless given), the first one first:\n");
        foreach (var door in doors)
        {
            var limits = CostModel.Limits(door, stack, workload.DurationMs);
            text.Append(door.Name()).Append('\n');
            foreach (var limit in limits)
            {
                var reached = workload.RequestsPerSecond > limit.RequestsPerSecond ? "  EXCEEDED at this traffic" : string.Empty;
                text.Append(Invariant, $"  {Rate(limit.RequestsPerSecond),12}  {limit.Name}: {limit.HowToRaise}{reached}\n");
            }
        }

        return text.ToString();
    }

    private static string Money(decimal value) => "$" + value.ToString("#,0.00", Invariant);

    private static string PerMillion(decimal value) => "$" + value.ToString("0.0000", Invariant);

    private static string Rate(double value) => value.ToString(value < 10 ? "#,0.##" : "#,0", Invariant) + "/s";
}
