using System.Text.Encodings.Web;
using System.Text.Json;
using System.Text.Json.Serialization;

namespace Amazon.Lambda.Serialization.SystemTextJson;

/// <summary>The JSON options and stream handling Lambda's System.Text.Json serializers share
/// (official: Amazon.Lambda.Serialization.SystemTextJson).</summary>
public abstract class AbstractLambdaJsonSerializer
{
    /// <summary>Creates the serializer; the writer escapes only what JSON requires, as the official one does.</summary>
    protected AbstractLambdaJsonSerializer(Action<JsonWriterOptions> jsonWriterCustomizer)
    {
        var options = new JsonWriterOptions { Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping };
        jsonWriterCustomizer?.Invoke(options);
        WriterOptions = options;
    }

    /// <summary>Options of the writer each response is written with.</summary>
    protected JsonWriterOptions WriterOptions { get; }

    /// <summary>Writes <paramref name="response"/> as JSON to the stream.</summary>
    /// <exception cref="JsonSerializerException">The object could not be written.</exception>
    public void Serialize<T>(T response, Stream responseStream)
    {
        try
        {
            using var writer = new Utf8JsonWriter(responseStream, WriterOptions);
            InternalSerialize(writer, response);
        }
        catch (Exception e)
        {
            throw new JsonSerializerException($"Error converting the response object of type {typeof(T).FullName} from the Lambda function to JSON: {e.Message}", e);
        }
    }

    /// <summary>Reads the whole stream as JSON of type <typeparamref name="T"/>.</summary>
    /// <exception cref="JsonSerializerException">The payload is not JSON of that type.</exception>
    public T Deserialize<T>(Stream requestStream)
    {
        try
        {
            byte[] utf8Json;
            if (requestStream is MemoryStream memory)
            {
                utf8Json = memory.ToArray();
            }
            else
            {
                using var copy = new MemoryStream();
                requestStream.CopyTo(copy);
                utf8Json = copy.ToArray();
            }

            return InternalDeserialize<T>(utf8Json);
        }
        catch (Exception e)
        {
            throw new JsonSerializerException($"Error converting the Lambda event JSON payload to type {typeof(T).FullName}: {e.Message}", e);
        }
    }

    /// <summary>The official defaults: nulls left out, names matched case-insensitively, <see cref="AwsNamingPolicy"/>.
    /// (The official converters for DateTime, MemoryStream, ConstantClass and byte[] are not mirrored: no type here uses them.)</summary>
    protected virtual JsonSerializerOptions CreateDefaultJsonSerializationOptions() => new()
    {
        DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
        PropertyNameCaseInsensitive = true,
        PropertyNamingPolicy = new AwsNamingPolicy(),
    };

    /// <summary>Writes one object.</summary>
    protected abstract void InternalSerialize<T>(Utf8JsonWriter writer, T response);

    /// <summary>Reads one object.</summary>
    protected abstract T InternalDeserialize<T>(byte[] utf8Json);
}
