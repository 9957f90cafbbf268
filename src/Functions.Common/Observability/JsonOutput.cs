using System.Text.Encodings.Web;
using System.Text.Json;

namespace Functions.Common.Observability;

/// <summary>Writer options for everything the functions emit: JSON read by people and machines, never embedded in HTML.</summary>
public static class JsonOutput
{
    /// <summary>Relaxed escaping keeps apostrophes and non-ASCII text readable in problem details and logs.</summary>
    public static readonly JsonWriterOptions WriterOptions = new() { Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping };
}
