using System.Text;
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
///   "primitives": { "machine": { "exception_roundtrip": { "cycles": 60, "source": "docs/costs.md §1.4 ..." }, ... },
///                   "gicv3": { ... }, "rvic": { ... }, "guest": { ... } } }
/// </code>
/// A primitive's <c>source</c> cites docs/costs.md, or starts with "assumption" (and says why), or with "calibrated"
/// — fitted to a published single-operation figure — and then names that figure in <c>calibrated_on</c> (the
/// micro-benchmark test names, e.g. <c>["hvc"]</c>), so that <c>irqbench validate</c> can tell calibrated figures
/// from predictions.
/// </remarks>
public static class ProfileLoader
{
    private static readonly string[] TopLevelKeys = ["name", "description", "base", "frequency_hz", "organisation", "published_machine", "primitives"];

    /// <summary>How deep <c>base</c> profiles may chain (a loop is caught long before).</summary>
    public const int MaxBaseDepth = 8;
    private static readonly string[] PrimitiveKeys = ["cycles", "source", "calibrated_on"];

    /// <summary>A profile is a page of JSON; anything larger is not one (and /dev/zero must not exhaust memory).</summary>
    public const int MaxBytes = 1 << 20;

    /// <summary>A physical CPU clock: below it the tick period of HZ=250 rounds to nothing, above it no core runs.</summary>
    public const long MinFrequencyHz = 10_000_000, MaxFrequencyHz = 10_000_000_000;

    /// <summary>No primitive is longer than ten simulated seconds at the fastest clock; sums of such costs over any
    /// run stay far from overflowing a cycle count.</summary>
    public const long MaxCycles = 100_000_000_000;

    public static CostProfile LoadFile(string path, IReadOnlyCollection<PrimitiveSpec> schema, IReadOnlySet<string>? requiredSections = null) =>
        Parse(Resolve(path, 0, []), path, schema, requiredSections);

    /// <summary>
    /// A profile with <c>"base": "NAME"</c> starts from the profile NAME.json beside it: the base's top-level values
    /// and primitives, each of which the derived file may replace (a primitive given in the derived file replaces the
    /// base's one whole, cycles and source). The result is one profile text, validated as any other, whose hash is
    /// that of the merged text.
    /// </summary>
    private static string Resolve(string path, int depth, List<string> chain)
    {
        string text = ReadText(path);
        System.Text.Json.Nodes.JsonObject derived;
        try { derived = System.Text.Json.Nodes.JsonNode.Parse(text, documentOptions: new JsonDocumentOptions { CommentHandling = JsonCommentHandling.Skip })?.AsObject()
                ?? throw new ProfileException($"{path}: (root): must be a JSON object"); }
        catch (JsonException e) { throw new ProfileException($"{path}: not valid JSON: {e.Message}"); }
        catch (InvalidOperationException) { throw new ProfileException($"{path}: (root): must be a JSON object"); }
        catch (ArgumentException e) { throw new ProfileException($"{path}: not valid JSON: {e.Message}"); }
        if (derived["base"] is not { } baseNode) return text;
        if (baseNode.GetValueKind() != JsonValueKind.String || string.IsNullOrWhiteSpace(baseNode.GetValue<string>()))
            throw new ProfileException($"{path}: base: must name a profile (a file NAME.json beside this one)");
        string baseName = baseNode.GetValue<string>();
        string basePath = Path.Combine(Path.GetDirectoryName(Path.GetFullPath(path))!, baseName + ".json");
        chain.Add(Path.GetFullPath(path));
        if (chain.Contains(Path.GetFullPath(basePath))) throw new ProfileException($"{path}: base: '{baseName}' leads back to this profile ({string.Join(" -> ", chain.Select(Path.GetFileName))})");
        if (depth >= MaxBaseDepth) throw new ProfileException($"{path}: base: more than {MaxBaseDepth} profiles deep");
        if (!File.Exists(basePath)) throw new ProfileException($"{path}: base: no profile '{baseName}' ({basePath})");
        var merged = System.Text.Json.Nodes.JsonNode.Parse(Resolve(basePath, depth + 1, chain), documentOptions: new JsonDocumentOptions { CommentHandling = JsonCommentHandling.Skip })!.AsObject();
        foreach (var (key, value) in derived)
        {
            if (key == "base") continue;
            if (key == "primitives" && value is System.Text.Json.Nodes.JsonObject sections && merged["primitives"] is System.Text.Json.Nodes.JsonObject baseSections)
            {
                foreach (var (section, prims) in sections)
                {
                    if (prims is not System.Text.Json.Nodes.JsonObject ps || baseSections[section] is not System.Text.Json.Nodes.JsonObject bs)
                    {
                        baseSections[section] = prims?.DeepClone();
                        continue;
                    }
                    foreach (var (name, prim) in ps) bs[name] = prim?.DeepClone();
                }
                continue;
            }
            merged[key] = value?.DeepClone();
        }
        merged.Remove("base");
        return merged.ToJsonString();
    }

    /// <summary>The text of a profile file, at most <see cref="MaxBytes"/> of it.</summary>
    public static string ReadText(string path)
    {
        try
        {
            using var s = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read);
            var buffer = new byte[MaxBytes + 1];
            int n = 0, r;
            while (n < buffer.Length && (r = s.Read(buffer, n, buffer.Length - n)) > 0) n += r;
            if (n > MaxBytes) throw new ProfileException($"{path}: larger than {MaxBytes / 1024} KiB: not a profile");
            return new UTF8Encoding(false, true).GetString(buffer, 0, n);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or ArgumentException or NotSupportedException)
        {
            throw new ProfileException($"{path}: cannot read the profile: {e.Message}");
        }
        catch (DecoderFallbackException)
        {
            throw new ProfileException($"{path}: not UTF-8 text");
        }
    }

    /// <summary>
    /// Loads only the sections <paramref name="schema"/> covers and leaves the others out unvalidated: for a
    /// component's own tests, which know their section and the machine's but not every other component's. The
    /// Harness always loads whole profiles with <see cref="LoadFile"/>.
    /// </summary>
    public static CostProfile LoadFileForSections(string path, IReadOnlyCollection<PrimitiveSpec> schema)
    {
        var root = System.Text.Json.Nodes.JsonNode.Parse(ReadText(path))!.AsObject();
        var sections = schema.Select(s => s.Section).ToHashSet();
        if (root["primitives"] is System.Text.Json.Nodes.JsonObject prims)
            foreach (var key in prims.Select(p => p.Key).Where(k => !sections.Contains(k)).ToList()) prims.Remove(key);
        return Parse(root.ToJsonString(), path, schema);
    }

    /// <param name="requiredSections">The sections every profile must hold in full; a section outside it may be absent
    /// (a plugin design's, needed only when that design runs), but if present it must be complete. Null: all of them.</param>
    public static CostProfile Parse(string json, string file, IReadOnlyCollection<PrimitiveSpec> schema, IReadOnlySet<string>? requiredSections = null)
    {
        JsonDocument doc;
        try { doc = JsonDocument.Parse(json, new JsonDocumentOptions { CommentHandling = JsonCommentHandling.Skip, MaxDepth = 16 }); }
        catch (JsonException e) { throw new ProfileException($"{file}: not valid JSON: {e.Message}"); }
        using (doc)
        {
            var root = doc.RootElement;
            if (root.ValueKind != JsonValueKind.Object) throw Fail(file, "(root)", "must be a JSON object");
            CheckKeys(root, "", TopLevelKeys, file);

            string name = RequiredString(root, "name", file);
            string description = root.TryGetProperty("description", out var d) && d.ValueKind == JsonValueKind.String ? d.GetString()! : "";
            if (!root.TryGetProperty("frequency_hz", out var f) || f.ValueKind != JsonValueKind.Number || !f.TryGetInt64(out long hz)
                || hz < MinFrequencyHz || hz > MaxFrequencyHz)
                throw Fail(file, "frequency_hz", $"must be an integer number of Hz from {MinFrequencyHz:N0} to {MaxFrequencyHz:N0} (a CPU clock)");
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
            var seenSections = new HashSet<string>(StringComparer.Ordinal);
            foreach (var section in prims.EnumerateObject())
            {
                if (!seenSections.Add(section.Name)) throw Fail(file, $"primitives.{section.Name}", "appears twice");
                if (!sections.Contains(section.Name))
                    throw Fail(file, $"primitives.{section.Name}", $"unknown section (known: {string.Join(", ", sections.Order(StringComparer.Ordinal))})");
                if (section.Value.ValueKind != JsonValueKind.Object)
                    throw Fail(file, $"primitives.{section.Name}", "must be an object of primitives");
                var seen = new HashSet<string>(StringComparer.Ordinal);
                foreach (var prim in section.Value.EnumerateObject())
                {
                    string key = $"primitives.{section.Name}.{prim.Name}";
                    if (!seen.Add(prim.Name)) throw Fail(file, key, "appears twice");
                    if (!allKnown.ContainsKey((section.Name, prim.Name)))
                        throw Fail(file, key, "unknown primitive (no component charges it)");
                    if (!expected.ContainsKey((section.Name, prim.Name)))
                        throw Fail(file, key, $"not used under organisation '{orgText}' (it would never be charged)");
                    read.Add(ReadPrimitive(prim.Value, section.Name, prim.Name, key, file));
                }
            }
            var present = read.Select(p => (p.Section, p.Name)).ToHashSet();
            foreach (var spec in expected.Values.OrderBy(s => s.Section, StringComparer.Ordinal).ThenBy(s => s.Name, StringComparer.Ordinal))
                if (!present.Contains((spec.Section, spec.Name)) && (requiredSections is null || requiredSections.Contains(spec.Section) || seenSections.Contains(spec.Section)))
                    throw Fail(file, $"primitives.{spec.Section}.{spec.Name}", $"missing primitive ({spec.Meaning})");
            return new CostProfile(name, description, hz, org, published, read, file, CostProfile.Hash(json));
        }
    }

    private static Primitive ReadPrimitive(JsonElement e, string section, string name, string key, string file)
    {
        if (e.ValueKind != JsonValueKind.Object) throw Fail(file, key, "must be an object { \"cycles\": N, \"source\": \"...\" }");
        CheckKeys(e, key + ".", PrimitiveKeys, file);
        if (!e.TryGetProperty("cycles", out var c) || c.ValueKind != JsonValueKind.Number || !c.TryGetInt64(out long cycles))
            throw Fail(file, $"{key}.cycles", "missing or not an integer");
        if (cycles < 0) throw Fail(file, $"{key}.cycles", $"negative cost {cycles}");
        if (cycles > MaxCycles) throw Fail(file, $"{key}.cycles", $"{cycles} cycles is more than the {MaxCycles:N0} any primitive may cost");
        if (!e.TryGetProperty("source", out var s) || s.ValueKind != JsonValueKind.String || string.IsNullOrWhiteSpace(s.GetString()))
            throw Fail(file, $"{key}.source", "missing: cite docs/costs.md or say \"assumption: why\"");
        string source = s.GetString()!;
        bool calibrated = source.StartsWith("calibrat", StringComparison.OrdinalIgnoreCase);
        if (!source.Contains("costs.md", StringComparison.Ordinal) && !source.StartsWith("assumption", StringComparison.OrdinalIgnoreCase) && !calibrated)
            throw Fail(file, $"{key}.source", "must cite docs/costs.md, or start with \"assumption\" or \"calibrated\"");
        var on = new List<string>();
        if (e.TryGetProperty("calibrated_on", out var co))
        {
            if (co.ValueKind != JsonValueKind.Array) throw Fail(file, $"{key}.calibrated_on", "must be an array of published figure names");
            foreach (var item in co.EnumerateArray())
            {
                if (item.ValueKind != JsonValueKind.String || string.IsNullOrWhiteSpace(item.GetString()))
                    throw Fail(file, $"{key}.calibrated_on", "must hold non-empty strings (micro-benchmark test names)");
                on.Add(item.GetString()!);
            }
        }
        if (calibrated && on.Count == 0)
            throw Fail(file, $"{key}.calibrated_on", "a calibrated primitive must name the published figure(s) it was fitted to");
        if (!calibrated && on.Count > 0)
            throw Fail(file, $"{key}.calibrated_on", "only a primitive whose source starts with \"calibrated\" is fitted to a figure");
        return new Primitive(section, name, cycles, source, on);
    }

    /// <summary>Unknown and repeated keys of one object are errors (a repeated key would silently take the last value).</summary>
    private static void CheckKeys(JsonElement obj, string prefix, string[] allowed, string file)
    {
        var seen = new HashSet<string>(StringComparer.Ordinal);
        foreach (var p in obj.EnumerateObject())
        {
            if (Array.IndexOf(allowed, p.Name) < 0) throw Fail(file, prefix + p.Name, $"unknown key (allowed: {string.Join(", ", allowed)})");
            if (!seen.Add(p.Name)) throw Fail(file, prefix + p.Name, "appears twice");
        }
    }

    private static string RequiredString(JsonElement root, string key, string file) =>
        root.TryGetProperty(key, out var v) && v.ValueKind == JsonValueKind.String && !string.IsNullOrWhiteSpace(v.GetString())
            ? v.GetString()!
            : throw Fail(file, key, "missing or not a non-empty string");

    private static ProfileException Fail(string file, string key, string reason) => new($"{file}: {key}: {reason}");
}
