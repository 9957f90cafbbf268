namespace Amazon.Lambda.Serialization.SystemTextJson;

/// <summary>A payload could not be read as, or a result written from, the handler's type (official: Amazon.Lambda.Serialization.SystemTextJson).</summary>
public class JsonSerializerException : Exception
{
    /// <summary>Creates the exception.</summary>
    public JsonSerializerException(string message)
        : base(message)
    {
    }

    /// <summary>Creates the exception with its cause.</summary>
    public JsonSerializerException(string message, Exception exception)
        : base(message, exception)
    {
    }
}
