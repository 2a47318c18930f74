using System.Text.Json;

namespace IrqBench.Machine.Costs;

/// <summary>
/// Reads and validates <c>profiles/NAME.json</c> against the primitives the components declare. Every problem is a
/// <see cref="ProfileException"/> naming the file, the key and the reason; nothing is half-loaded.
/// </summary>
/// <remarks>
/// Format:
/// <code>
/// { "name": "altra-vhe", "description": "...", "frequency_hz": 3000000000, "organisation": "vhe",
///   "published_machine": "ampere-altra",
///   "primitives": { "machine": { "exception_roundtrip": { "cycles": 60, "source": "costs.md §1.4 ..." }, ... },
///                   "gicv3": { ... }, "rvic": { ... }, "guest": { ... } } }
/// </code>
/// </remarks>
public static class ProfileLoader
{
    private static readonly string[] TopLevelKeys = ["name", "description", "frequency_hz", "organisation", "published_machine", "primitives"];

    public static CostProfile LoadFile(string path, IReadOnlyCollection<PrimitiveSpec> schema)
    {
        string text;
        try { text = File.ReadAllText(path); }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new ProfileException($"{path}: cannot read the profile: {e.Message}");
        }
        return Parse(text, path, schema);
    }

    /// <summary>
    /// Loads only the sections <paramref name="schema"/> covers and leaves the others out unvalidated: for a
    /// component's own tests, which know their section and the machine's but not every other component's. The
    /// Harness always loads whole profiles with <see cref="LoadFile"/>.
    /// </summary>
    public static CostProfile LoadFileForSections(string path, IReadOnlyCollection<PrimitiveSpec> schema)
    {
        var root = System.Text.Json.Nodes.JsonNode.Parse(File.ReadAllText(path))!.AsObject();
        var sections = schema.Select(s => s.Section).ToHashSet();
        if (root["primitives"] is System.Text.Json.Nodes.JsonObject prims)
            foreach (var key in prims.Select(p => p.Key).Where(k => !sections.Contains(k)).ToList()) prims.Remove(key);
        return Parse(root.ToJsonString(), path, schema);
    }

    public static CostProfile Parse(string json, string file, IReadOnlyCollection<PrimitiveSpec> schema)
    {
        JsonDocument doc;
        try { doc = JsonDocument.Parse(json, new JsonDocumentOptions { CommentHandling = JsonCommentHandling.Skip }); }
        catch (JsonException e) { throw new ProfileException($"{file}: not valid JSON: {e.Message}"); }
        using (doc)
        {
            var root = doc.RootElement;
            if (root.ValueKind != JsonValueKind.Object) throw Fail(file, "(root)", "must be a JSON object");
            foreach (var p in root.EnumerateObject())
                if (Array.IndexOf(TopLevelKeys, p.Name) < 0)
                    throw Fail(file, p.Name, $"unknown key (allowed: {string.Join(", ", TopLevelKeys)})");

            string name = RequiredString(root, "name", file);
            string description = root.TryGetProperty("description", out var d) && d.ValueKind == JsonValueKind.String ? d.GetString()! : "";
            if (!root.TryGetProperty("frequency_hz", out var f) || f.ValueKind != JsonValueKind.Number || !f.TryGetInt64(out long hz) || hz <= 0)
                throw Fail(file, "frequency_hz", "must be a positive integer number of Hz");
            string orgText = RequiredString(root, "organisation", file);
            Organisation org = orgText switch
            {
                "vhe" => Organisation.Vhe,
                "nvhe" => Organisation.Nvhe,
                "pkvm" => Organisation.Pkvm,
                _ => throw Fail(file, "organisation", $"'{orgText}' is not one of vhe, nvhe, pkvm"),
            };
            string? published = root.TryGetProperty("published_machine", out var pm) && pm.ValueKind == JsonValueKind.String ? pm.GetString() : null;

            if (!root.TryGetProperty("primitives", out var prims) || prims.ValueKind != JsonValueKind.Object)
                throw Fail(file, "primitives", "missing, or not an object of sections");

            var expected = schema.Where(s => s.AppliesTo(org)).ToDictionary(s => (s.Section, s.Name));
            var allKnown = schema.ToDictionary(s => (s.Section, s.Name));
            var sections = schema.Select(s => s.Section).ToHashSet();
            var read = new List<Primitive>();
            foreach (var section in prims.EnumerateObject())
            {
                if (!sections.Contains(section.Name))
                    throw Fail(file, $"primitives.{section.Name}", $"unknown section (known: {string.Join(", ", sections.Order(StringComparer.Ordinal))})");
                if (section.Value.ValueKind != JsonValueKind.Object)
                    throw Fail(file, $"primitives.{section.Name}", "must be an object of primitives");
                foreach (var prim in section.Value.EnumerateObject())
                {
                    string key = $"primitives.{section.Name}.{prim.Name}";
                    if (!allKnown.ContainsKey((section.Name, prim.Name)))
                        throw Fail(file, key, "unknown primitive (no component charges it)");
                    if (!expected.ContainsKey((section.Name, prim.Name)))
                        throw Fail(file, key, $"not used under organisation '{orgText}' (it would never be charged)");
                    read.Add(ReadPrimitive(prim.Value, section.Name, prim.Name, key, file));
                }
            }
            var present = read.Select(p => (p.Section, p.Name)).ToHashSet();
            foreach (var spec in expected.Values.OrderBy(s => s.Section, StringComparer.Ordinal).ThenBy(s => s.Name, StringComparer.Ordinal))
                if (!present.Contains((spec.Section, spec.Name)))
                    throw Fail(file, $"primitives.{spec.Section}.{spec.Name}", $"missing primitive ({spec.Meaning})");
            return new CostProfile(name, description, hz, org, published, read, file, CostProfile.Hash(json));
        }
    }

    private static Primitive ReadPrimitive(JsonElement e, string section, string name, string key, string file)
    {
        if (e.ValueKind != JsonValueKind.Object) throw Fail(file, key, "must be an object { \"cycles\": N, \"source\": \"...\" }");
        foreach (var p in e.EnumerateObject())
            if (p.Name is not ("cycles" or "source")) throw Fail(file, $"{key}.{p.Name}", "unknown key (allowed: cycles, source)");
        if (!e.TryGetProperty("cycles", out var c) || c.ValueKind != JsonValueKind.Number || !c.TryGetInt64(out long cycles))
            throw Fail(file, $"{key}.cycles", "missing or not an integer");
        if (cycles < 0) throw Fail(file, $"{key}.cycles", $"negative cost {cycles}");
        if (!e.TryGetProperty("source", out var s) || s.ValueKind != JsonValueKind.String || string.IsNullOrWhiteSpace(s.GetString()))
            throw Fail(file, $"{key}.source", "missing: cite reference/costs.md or say \"assumption: why\"");
        string source = s.GetString()!;
        if (!source.Contains("costs.md", StringComparison.Ordinal) && !source.StartsWith("assumption", StringComparison.OrdinalIgnoreCase)
            && !source.StartsWith("calibrat", StringComparison.OrdinalIgnoreCase))
            throw Fail(file, $"{key}.source", "must cite reference/costs.md, or start with \"assumption\" or \"calibrated\"");
        return new Primitive(section, name, cycles, source);
    }

    private static string RequiredString(JsonElement root, string key, string file) =>
        root.TryGetProperty(key, out var v) && v.ValueKind == JsonValueKind.String && !string.IsNullOrWhiteSpace(v.GetString())
            ? v.GetString()!
            : throw Fail(file, key, "missing or not a non-empty string");

    private static ProfileException Fail(string file, string key, string reason) => new($"{file}: {key}: {reason}");
}
