namespace Amazon.Lambda.Core;

/// <summary>Writes to the function's log through the runtime (official: Amazon.Lambda.Core; only the two core members).</summary>
public interface ILambdaLogger
{
    /// <summary>Logs a message.</summary>
    void Log(string message);

    /// <summary>Logs a message as one line.</summary>
    void LogLine(string message);
}
