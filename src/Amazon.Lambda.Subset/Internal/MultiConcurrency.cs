using System.Globalization;

namespace Amazon.Lambda.Subset.Internal;

/// <summary>
/// The official runtime's rules for many invocations per execution environment (Lambda Managed Instances), read from
/// the environment each time as it reads them:
/// <list type="bullet">
/// <item>Multi-concurrency is on when <c>AWS_LAMBDA_MAX_CONCURRENCY</c> is set to anything non-empty (its value need not parse).</item>
/// <item>Polling tasks: <c>AWS_LAMBDA_DOTNET_PROCESSING_TASKS</c> when set (a positive integer, anything else is an
/// <see cref="ArgumentException"/>), else the maximum concurrency when it is a positive integer, else
/// max(2, processor count); one when multi-concurrency is off.</item>
/// <item>Thread pool: when the maximum concurrency is a positive integer, the minimum worker threads are raised (never
/// lowered) to <c>AWS_LAMBDA_DOTNET_MIN_THREADS</c> when that is a positive integer, else to twice the processor count.</item>
/// </list>
/// </summary>
internal static class MultiConcurrency
{
    public static bool IsOn => !string.IsNullOrEmpty(Environment.GetEnvironmentVariable(EnvironmentNames.MaxConcurrency));

    /// <summary>AWS_LAMBDA_MAX_CONCURRENCY as a positive integer; 0 when it is absent or not one.</summary>
    public static int MaxConcurrency => PositiveInt(Environment.GetEnvironmentVariable(EnvironmentNames.MaxConcurrency));

    /// <summary>How many loops poll the Runtime API for events.</summary>
    /// <exception cref="ArgumentException">AWS_LAMBDA_DOTNET_PROCESSING_TASKS is set but not a positive integer.</exception>
    public static int ProcessingTaskCount(int processorCount)
    {
        if (!IsOn)
        {
            return 1;
        }

        var overrideCount = Environment.GetEnvironmentVariable(EnvironmentNames.ProcessingTasks);
        if (!string.IsNullOrEmpty(overrideCount))
        {
            return PositiveInt(overrideCount) is var count and > 0
                ? count
                : throw new ArgumentException($"{EnvironmentNames.ProcessingTasks} is '{overrideCount}'; it must be an integer greater than 0.");
        }

        return MaxConcurrency is var max and > 0 ? max : Math.Max(2, processorCount);
    }

    /// <summary>Raises the thread pool's minimum worker threads for multi-concurrency, so that handlers that block do not
    /// starve the pollers' continuations. Returns the minimum now in force.</summary>
    public static int AdjustThreadPool(int processorCount)
    {
        ThreadPool.GetMinThreads(out var worker, out var completionPort);
        if (MaxConcurrency <= 0)
        {
            return worker;
        }

        var desired = PositiveInt(Environment.GetEnvironmentVariable(EnvironmentNames.MinThreads)) is var configured and > 0
            ? configured
            : 2 * processorCount;
        return worker < desired && ThreadPool.SetMinThreads(desired, completionPort) ? desired : worker;
    }

    // int.TryParse as the official runtime calls it (current culture, integer style).
    private static int PositiveInt(string value) =>
        int.TryParse(value, NumberStyles.Integer, CultureInfo.CurrentCulture, out var parsed) && parsed > 0 ? parsed : 0;
}
