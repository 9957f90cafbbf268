namespace Amazon.Lambda.Core;

/// <summary>Turns Lambda's JSON documents into .NET objects and back (official: Amazon.Lambda.Core).</summary>
public interface ILambdaSerializer
{
    /// <summary>Reads an object of type <typeparamref name="T"/> from the stream.</summary>
    T Deserialize<T>(Stream requestStream);

    /// <summary>Writes <paramref name="response"/> to the stream.</summary>
    void Serialize<T>(T response, Stream responseStream);
}
