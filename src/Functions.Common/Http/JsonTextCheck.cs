using System.Text.Json;
using System.Text.Unicode;

namespace Functions.Common.Http;

/// <summary>Why bytes are not JSON text that can be read at face value.</summary>
internal enum JsonTextFaultKind
{
    /// <summary>Not UTF-8 (JSON text exchanged between systems must be).</summary>
    NotUtf8,

    /// <summary>Not one well-formed JSON value.</summary>
    Malformed,

    /// <summary>Nested deeper than allowed.</summary>
    TooDeep,

    /// <summary>A string or member name whose escapes decode to a lone UTF-16 surrogate, which is not text.</summary>
    InvalidUnicode,
}

/// <summary>What is wrong, and where (a JSON path such as <c>messages[3].topicValue</c>; null for the whole text).</summary>
internal readonly record struct JsonTextFault(JsonTextFaultKind Kind, string? Path);

/// <summary>
/// Checks JSON text before anything reads it: UTF-8, one well-formed value, nesting within a bound, and every string
/// and member name valid Unicode once its escapes are decoded. <see cref="Utf8JsonReader"/> accepts <c>"\ud800"</c>
/// and only fails when the string is read, far from where the caller can be told which member it was; this walk
/// knows the path, and allocates nothing unless it finds a fault.
/// </summary>
internal static class JsonTextCheck
{
    /// <summary>The first fault of <paramref name="utf8"/>, or null when it is sound.</summary>
    public static JsonTextFault? Find(ReadOnlySpan<byte> utf8, int maxDepth)
    {
        if (!Utf8.IsValid(utf8))
        {
            return new JsonTextFault(JsonTextFaultKind.NotUtf8, null);
        }

        // One frame per open container: an array's current index, or the byte range of an object's current member name.
        var frames = new Frame[maxDepth + 1];
        var depth = 0;
        var reader = new Utf8JsonReader(utf8, new JsonReaderOptions { MaxDepth = maxDepth + 1 });
        try
        {
            if (!reader.Read())
            {
                return new JsonTextFault(JsonTextFaultKind.Malformed, null);
            }

            do
            {
                switch (reader.TokenType)
                {
                    case JsonTokenType.PropertyName:
                        // The token starts at the opening quote; the raw name follows it.
                        frames[depth - 1] = frames[depth - 1] with { NameStart = (int)reader.TokenStartIndex + 1, NameLength = reader.ValueSpan.Length };
                        if (reader.ValueIsEscaped && !Escapes.AreValidUnicode(reader.ValueSpan))
                        {
                            return new JsonTextFault(JsonTextFaultKind.InvalidUnicode, PathOf(utf8, frames, depth));
                        }

                        break;
                    case JsonTokenType.StartObject or JsonTokenType.StartArray:
                        Advance(frames, depth);
                        if (depth == maxDepth)
                        {
                            return new JsonTextFault(JsonTextFaultKind.TooDeep, PathOf(utf8, frames, depth));
                        }

                        frames[depth++] = new Frame(reader.TokenType == JsonTokenType.StartArray, -1, 0, 0);
                        break;
                    case JsonTokenType.EndObject or JsonTokenType.EndArray:
                        depth--;
                        break;
                    case JsonTokenType.String:
                        Advance(frames, depth);
                        if (reader.ValueIsEscaped && !Escapes.AreValidUnicode(reader.ValueSpan))
                        {
                            return new JsonTextFault(JsonTextFaultKind.InvalidUnicode, PathOf(utf8, frames, depth));
                        }

                        break;
                    default:
                        Advance(frames, depth);
                        break;
                }
            }
            while (reader.Read());
        }
        catch (JsonException)
        {
            return new JsonTextFault(JsonTextFaultKind.Malformed, null);
        }

        return null;
    }

    /// <summary>A value starts: in an array it is the next element.</summary>
    private static void Advance(Frame[] frames, int depth)
    {
        if (depth > 0 && frames[depth - 1].IsArray)
        {
            frames[depth - 1] = frames[depth - 1] with { Index = frames[depth - 1].Index + 1 };
        }
    }

    private static string? PathOf(ReadOnlySpan<byte> utf8, Frame[] frames, int depth)
    {
        var path = string.Empty;
        for (var i = 0; i < depth; i++)
        {
            path = frames[i].IsArray
                ? FieldPath.Item(path, frames[i].Index)
                : FieldPath.Member(path, Escapes.Decode(utf8.Slice(frames[i].NameStart, frames[i].NameLength)));
        }

        return path.Length == 0 ? null : path;
    }

    private readonly record struct Frame(bool IsArray, int Index, int NameStart, int NameLength);
}
