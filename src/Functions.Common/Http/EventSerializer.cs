using System.Diagnostics.CodeAnalysis;
using System.Text.Json;
using System.Text.Json.Serialization;
using System.Text.Json.Serialization.Metadata;
using Amazon.Lambda.APIGatewayEvents;
using Amazon.Lambda.Serialization.SystemTextJson;

namespace Functions.Common.Http;

/// <summary>
/// Lambda's source-generated serializer (same context, same options) that reads an event where it lies, less its body.
/// Its <see cref="AbstractLambdaJsonSerializer.Deserialize{T}(Stream)"/> copies the whole payload into a new array
/// first, and the event's <c>body</c> would become a string of up to twice the body's size (plus, for an escaped body,
/// a pooled buffer the size of its JSON text): for a 6 MB event, up to 6 + 2 + 8 MB on a heap that may have 128 MB in
/// all. The body is left in the payload instead (<see cref="EventBody"/>), measured there, and decoded only when it is
/// within its limit.
/// </summary>
/// <typeparam name="TContext">The context of the event and response types.</typeparam>
internal sealed class EventSerializer<[DynamicallyAccessedMembers(DynamicallyAccessedMemberTypes.PublicConstructors)] TContext>
    : SourceGeneratorLambdaJsonSerializer<TContext>
    where TContext : JsonSerializerContext
{
    private readonly JsonSerializerOptions _withoutBody;

    public EventSerializer()
    {
        var context = SerializerOptions.TypeInfoResolver ?? throw new InvalidOperationException("The Lambda serializer's options have no resolver.");
        _withoutBody = new JsonSerializerOptions(SerializerOptions) { TypeInfoResolver = context.WithAddedModifier(DropBody) };
    }

    /// <summary>Reads <paramref name="utf8Json"/> as a <typeparamref name="T"/> with the serializer's own options; an event's body is skipped.</summary>
    /// <exception cref="JsonException">The payload is not JSON of that type.</exception>
    public T? DeserializeEvent<T>(ReadOnlySpan<byte> utf8Json) =>
        JsonSerializer.Deserialize(utf8Json, (JsonTypeInfo<T>)_withoutBody.GetTypeInfo(typeof(T)));

    private static void DropBody(JsonTypeInfo info)
    {
        if (info.Type != typeof(APIGatewayProxyRequest) && info.Type != typeof(APIGatewayHttpApiV2ProxyRequest))
        {
            return;
        }

        for (var i = info.Properties.Count - 1; i >= 0; i--)
        {
            if (info.Properties[i].Name.Equals(EventBody.Name, StringComparison.OrdinalIgnoreCase))
            {
                info.Properties.RemoveAt(i);
            }
        }
    }
}
