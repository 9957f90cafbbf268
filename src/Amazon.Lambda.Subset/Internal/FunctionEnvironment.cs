using System.Globalization;

namespace Amazon.Lambda.Subset.Internal;

/// <summary>The function's settings Lambda puts in the environment, read once (as the official runtime's
/// <c>LambdaEnvironment</c>): they do not change over the life of an execution environment.</summary>
internal sealed record FunctionEnvironment(string FunctionName, string FunctionVersion, int MemoryLimitInMB, string LogGroupName, string LogStreamName)
{
    public static FunctionEnvironment Read()
    {
        // An absent or unparsable size reads as 0, as in the official runtime.
        int.TryParse(Environment.GetEnvironmentVariable(EnvironmentNames.FunctionMemorySize), NumberStyles.Integer, CultureInfo.InvariantCulture, out var memory);
        return new FunctionEnvironment(
            Environment.GetEnvironmentVariable(EnvironmentNames.FunctionName),
            Environment.GetEnvironmentVariable(EnvironmentNames.FunctionVersion),
            memory,
            Environment.GetEnvironmentVariable(EnvironmentNames.LogGroupName),
            Environment.GetEnvironmentVariable(EnvironmentNames.LogStreamName));
    }
}
