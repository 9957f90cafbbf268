namespace Momento.Topics.Client;

/// <summary>An API key or endpoint that cannot be used. The message never contains the key or any part of it.</summary>
public sealed class InvalidCredentialException : Exception
{
    /// <summary>Creates the exception with a message that must not contain the key.</summary>
    public InvalidCredentialException(string message)
        : base(message)
    {
    }

    /// <summary>Creates the exception with no specific message.</summary>
    public InvalidCredentialException()
        : base("The API key is not valid.")
    {
    }

    /// <summary>Creates the exception; <paramref name="innerException"/> must not reveal the key.</summary>
    public InvalidCredentialException(string message, Exception innerException)
        : base(message, innerException)
    {
    }
}
