using System.Diagnostics.CodeAnalysis;
using System.Text.Json;
using System.Text.Json.Serialization;
using System.Text.Json.Serialization.Metadata;
using Amazon.Lambda.Serialization.SystemTextJson;

namespace Functions.Common.Http;

/// <summary>
/// Lambda's source-generated serializer (same context, same options), which can also read a payload where it lies.
/// Its <see cref="AbstractLambdaJsonSerializer.Deserialize{T}(Stream)"/> copies the whole stream into a new array
/// first: for a 6 MB event, 6 MB more on a heap that may have 128 MB in all.
/// </summary>
/// <typeparam name="TContext">The context of the event and response types.</typeparam>
internal sealed class InPlaceLambdaSerializer<[DynamicallyAccessedMembers(DynamicallyAccessedMemberTypes.PublicConstructors)] TContext>
    : SourceGeneratorLambdaJsonSerializer<TContext>
    where TContext : JsonSerializerContext
{
    /// <summary>Reads <paramref name="utf8Json"/> as a <typeparamref name="T"/> with the serializer's own options.</summary>
    /// <exception cref="JsonException">The payload is not JSON of that type.</exception>
    public T? Deserialize<T>(ReadOnlySpan<byte> utf8Json) =>
        JsonSerializer.Deserialize(utf8Json, (JsonTypeInfo<T>)SerializerOptions.GetTypeInfo(typeof(T)));
}
