using System.Text.Json;
using System.Text.Json.Serialization;
using System.Text.Json.Serialization.Metadata;

namespace Functions.Common.Http;

/// <summary>
/// Reads a request body into its source-generated contract record. The record's context must be strict (unknown and
/// duplicate members rejected, nullable annotations respected), so System.Text.Json itself refuses what breaks the
/// shape; its exception says where (<see cref="JsonException.Path"/>), and <see cref="ContractFaults"/> says what, from
/// the contract's own metadata. What only the semantic rules can judge is left to them.
/// </summary>
public static class StrictJson
{
    /// <summary>Deepest nesting a request body may have: the contracts need three levels; the rest is room for error messages.</summary>
    public const int MaxDepth = 16;

    /// <summary>Reads <paramref name="utf8"/> as <typeparamref name="T"/>, or says why it is not one.</summary>
    /// <param name="utf8">The JSON text.</param>
    /// <param name="typeInfo">The contract, from a strict context.</param>
    /// <param name="subject">What the text is, for messages about it as a whole ("The body", "The request").</param>
    public static Checked<T> Read<T>(ReadOnlySpan<byte> utf8, JsonTypeInfo<T> typeInfo, string subject)
        where T : class
    {
        ArgumentNullException.ThrowIfNull(typeInfo);
        EnsureStrict(typeInfo.Options);
        if (CheckText(utf8, subject) is { } fault)
        {
            return fault;
        }

        try
        {
            return JsonSerializer.Deserialize(utf8, typeInfo) is { } value
                ? value
                : Problem.Invalid($"{subject} must be a JSON object, not null.");
        }
        catch (JsonException e)
        {
            return ContractFaults.Explain(utf8, typeInfo, e.Path, subject);
        }
    }

    /// <summary>
    /// The checks of the text itself, before any reader sees it: empty, a byte order mark, not UTF-8, nested too deeply,
    /// an escape that is not valid Unicode, or not JSON at all. Null when the text is JSON a reader can take.
    /// </summary>
    /// <param name="utf8">The JSON text.</param>
    /// <param name="subject">What the text is, for messages about it as a whole ("The body").</param>
    public static Problem? CheckText(ReadOnlySpan<byte> utf8, string subject)
    {
        // The two commonest "not JSON" a client sends by accident, named: no body at all (a POST without -d), and
        // the byte order mark some editors and Windows tools put first, which JSON text must not have (RFC 8259, 8.1).
        if (utf8.IsEmpty)
        {
            return Problem.Invalid($"{subject} is empty, which is not valid JSON; it must be a JSON object.");
        }

        if (utf8.StartsWith("\uFEFF"u8))
        {
            return Problem.Invalid($"{subject} starts with a byte order mark (U+FEFF), which JSON text must not have; send it without one.");
        }

        return JsonTextCheck.Find(utf8, MaxDepth) is { } fault ? Describe(fault, subject) : null;
    }

    /// <summary>A fault of the text itself as a problem; <paramref name="subject"/> names the whole.</summary>
    internal static Problem Describe(JsonTextFault fault, string subject) => fault.Kind switch
    {
        JsonTextFaultKind.NotUtf8 => Problem.Invalid($"{subject} is not valid JSON: it is not UTF-8."),
        JsonTextFaultKind.TooDeep => Problem.Invalid($"{subject} is nested too deeply to be a request.", fault.Path),
        JsonTextFaultKind.InvalidUnicode => Problem.Invalid(
            $"{(fault.Path is null ? subject : fault.Path)} holds a JSON escape that is not valid Unicode (a lone UTF-16 surrogate such as \\ud800).",
            fault.Path),
        _ => Problem.Invalid($"{subject} is not valid JSON."),
    };

    // A lax context would accept what the contract refuses: fail loudly in tests, not silently in production.
    private static void EnsureStrict(JsonSerializerOptions options)
    {
        if (options.UnmappedMemberHandling != JsonUnmappedMemberHandling.Disallow || options.AllowDuplicateProperties
            || !options.RespectNullableAnnotations || options.PropertyNameCaseInsensitive)
        {
            throw new InvalidOperationException("Contract records must be read with a strict JsonSerializerContext (see StrictJson).");
        }
    }
}
