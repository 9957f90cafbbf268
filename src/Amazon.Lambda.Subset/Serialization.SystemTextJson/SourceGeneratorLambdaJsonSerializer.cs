using System.Diagnostics.CodeAnalysis;
using System.Text.Json;
using System.Text.Json.Serialization;
using System.Text.Json.Serialization.Metadata;
using Amazon.Lambda.Core;

namespace Amazon.Lambda.Serialization.SystemTextJson;

/// <summary>An <see cref="ILambdaSerializer"/> over a source-generated <see cref="JsonSerializerContext"/>, for Native AOT
/// (official: Amazon.Lambda.Serialization.SystemTextJson).</summary>
/// <typeparam name="TSGContext">The context listing every type the function reads and writes.</typeparam>
public class SourceGeneratorLambdaJsonSerializer<[DynamicallyAccessedMembers(DynamicallyAccessedMemberTypes.PublicConstructors)] TSGContext>
    : AbstractLambdaJsonSerializer, ILambdaSerializer
    where TSGContext : JsonSerializerContext
{
    private readonly TSGContext _jsonSerializerContext;

    /// <summary>Creates the serializer: the context is instantiated over the Lambda default options.</summary>
    public SourceGeneratorLambdaJsonSerializer()
        : base(null)
    {
        SerializerOptions = CreateDefaultJsonSerializationOptions();
        var constructor = typeof(TSGContext).GetConstructor([typeof(JsonSerializerOptions)])
            ?? throw new ApplicationException($"The serializer {typeof(TSGContext).FullName} is missing a constructor that takes in JsonSerializerOptions object");
        _jsonSerializerContext = (TSGContext)constructor.Invoke([SerializerOptions]);
    }

    /// <summary>The options the context was created with.</summary>
    protected JsonSerializerOptions SerializerOptions { get; }

    /// <inheritdoc />
    protected override void InternalSerialize<T>(Utf8JsonWriter writer, T response) =>
        JsonSerializer.Serialize(writer, response, TypeInfo<T>());

    /// <inheritdoc />
    protected override T InternalDeserialize<T>(byte[] utf8Json) =>
        JsonSerializer.Deserialize(utf8Json, TypeInfo<T>());

    private JsonTypeInfo<T> TypeInfo<T>() =>
        _jsonSerializerContext.GetTypeInfo(typeof(T)) as JsonTypeInfo<T>
            ?? throw new JsonSerializerException($"No JsonTypeInfo registered in {_jsonSerializerContext.GetType().FullName} for type {typeof(T).FullName}.");
}
