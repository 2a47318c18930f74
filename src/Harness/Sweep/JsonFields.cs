using System.Globalization;
using System.Text.Json;

namespace IrqBench.Harness.Sweep;

/// <summary>Reads typed values out of a JSON document, turning every problem into an <see cref="InputException"/> that
/// names the file, the field (as a path such as <c>workloads[1].params[0].groups</c>) and what was wrong.</summary>
public sealed class JsonFields(string file)
{
    public string File { get; } = file;

    public InputException Error(string field, string problem) => new($"{File}: {field}: {problem}");

    /// <summary>The file as JSON: a regular file of at most <see cref="Output.InputFile.MaxJsonBytes"/>, no object
    /// with a key twice (JSON allows it; which value would count is a guess, so it is refused naming the key).</summary>
    public static JsonDocument Parse(string file)
    {
        string text = Output.InputFile.ReadText(file, Output.InputFile.MaxJsonBytes);
        JsonDocument doc;
        try { doc = JsonDocument.Parse(text, new JsonDocumentOptions { CommentHandling = JsonCommentHandling.Skip, MaxDepth = 32 }); }
        catch (JsonException e) { throw new InputException($"{file}: not valid JSON (line {e.LineNumber + 1}): {e.Message}"); }
        try { NoDuplicateKeys(new JsonFields(file), doc.RootElement, ""); }
        catch
        {
            doc.Dispose();
            throw;
        }
        return doc;
    }

    private static void NoDuplicateKeys(JsonFields j, JsonElement e, string field)
    {
        if (e.ValueKind == JsonValueKind.Object)
        {
            var seen = new HashSet<string>(StringComparer.Ordinal);
            foreach (var p in e.EnumerateObject())
            {
                if (!seen.Add(p.Name)) throw j.Error(Join(field, p.Name), "appears twice in one object");
                NoDuplicateKeys(j, p.Value, Join(field, p.Name));
            }
        }
        else if (e.ValueKind == JsonValueKind.Array)
        {
            int i = 0;
            foreach (var x in e.EnumerateArray()) NoDuplicateKeys(j, x, $"{field}[{i++}]");
        }
    }

    public void OnlyKeys(JsonElement obj, string field, params string[] allowed)
    {
        if (obj.ValueKind != JsonValueKind.Object) throw Error(field, $"expected an object, found {Kind(obj)}");
        foreach (var p in obj.EnumerateObject())
            if (!allowed.Contains(p.Name, StringComparer.Ordinal))
                throw Error(Join(field, p.Name), $"unknown key (allowed: {string.Join(", ", allowed)})");
    }

    public JsonElement? Optional(JsonElement obj, string key) => obj.TryGetProperty(key, out var v) ? v : null;

    public JsonElement Required(JsonElement obj, string field, string key) =>
        obj.TryGetProperty(key, out var v) ? v : throw Error(Join(field, key), "missing (required)");

    public IReadOnlyList<JsonElement> NonEmptyArray(JsonElement e, string field)
    {
        if (e.ValueKind != JsonValueKind.Array) throw Error(field, $"expected an array, found {Kind(e)}");
        var items = e.EnumerateArray().ToList();
        return items.Count > 0 ? items : throw Error(field, "empty array");
    }

    public string Word(JsonElement e, string field) =>
        e.ValueKind == JsonValueKind.String && e.GetString() is { Length: > 0 } s ? s : throw Error(field, $"expected a non-empty string, found {Kind(e)}");

    public long Integer(JsonElement e, string field, long min, long max)
    {
        if (e.ValueKind != JsonValueKind.Number || !e.TryGetInt64(out long v)) throw Error(field, $"expected an integer, found {Kind(e)}");
        return v >= min && v <= max ? v : throw Error(field, $"{v} is out of range [{min}, {max}]");
    }

    /// <summary>A parameter value: a string, or a number written back in invariant culture, as --set would give it.</summary>
    public string Scalar(JsonElement e, string field) => e.ValueKind switch
    {
        JsonValueKind.String => e.GetString()!,
        JsonValueKind.Number => e.GetRawText(),
        JsonValueKind.True or JsonValueKind.False => e.GetRawText(),
        _ => throw Error(field, $"expected a string or a number, found {Kind(e)}"),
    };

    public static string Join(string field, string key) => field.Length == 0 ? key : $"{field}.{key}";

    private static string Kind(JsonElement e) => e.ValueKind switch
    {
        JsonValueKind.Number => $"the number {e.GetRawText()}",
        JsonValueKind.String => $"the string \"{Workloads.Trace.TraceReader.Shown(e.GetString()!)}\"",
        _ => e.ValueKind.ToString().ToLower(CultureInfo.InvariantCulture),
    };
}
