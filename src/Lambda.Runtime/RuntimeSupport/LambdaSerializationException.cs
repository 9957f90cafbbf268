namespace Amazon.Lambda.RuntimeSupport;

/// <summary>An invocation payload could not be read as, or a result written from, the handler's JSON type.</summary>
public sealed class LambdaSerializationException : Exception
{
    /// <summary>Creates the exception.</summary>
    public LambdaSerializationException(string message, Exception? innerException = null)
        : base(message, innerException)
    {
    }
}
