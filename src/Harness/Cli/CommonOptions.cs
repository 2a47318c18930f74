using System.CommandLine;
using System.CommandLine.Parsing;
using System.Globalization;

namespace IrqBench.Harness.Cli;

/// <summary>Options shared by several verbs: their placeholders (<c>--vcpus &lt;N&gt;</c>), their validation at parse
/// time (an unknown name is a usage error naming the value and the valid ones, exit 2 with the verb's help), and the
/// parsing of their values.</summary>
internal static class CommonOptions
{
    public static Option<string> Profile() => Validated(new Option<string>("--profile")
    {
        Description = "cost profile: a name from profiles/ or a .json path",
        HelpName = "P",
        DefaultValueFactory = _ => ProfileStore.DefaultProfile,
    }, ProfileProblem);

    public static Option<List<string>> Profiles() => Validated(new Option<List<string>>("--profile")
    {
        Description = "cost profiles, one per organisation (repeatable; default: the suite's, every organisation)",
        HelpName = "P",
        AllowMultipleArgumentsPerToken = true,
    }, ProfileProblem);

    public static Option<string> Controller() => Validated(new Option<string>("--controller")
    {
        Description = "controller: " + string.Join(", ", Registry.ControllerNames), HelpName = "C", Required = true,
    }, NameProblem("controller", Registry.ControllerNames));

    public static Option<List<string>> Controllers(string description) => Validated(new Option<List<string>>("--controller")
    {
        Description = description, HelpName = "C", AllowMultipleArgumentsPerToken = true,
    }, NameProblem("controller", Registry.ControllerNames));

    public static Option<string?> Baseline(string description) => Validated(new Option<string?>("--baseline")
    {
        Description = description, HelpName = "C",
    }, NameProblem("controller", Registry.ControllerNames));

    public static Option<double?> Threshold(string description)
    {
        var o = new Option<double?>("--threshold") { Description = description, HelpName = "PCT" };
        o.Validators.Add(r =>
        {
            if (r.Tokens.Count == 1 && double.TryParse(r.Tokens[0].Value, NumberStyles.Float, CultureInfo.InvariantCulture, out double t) && !(t > 0 && t < 100))
                r.AddError($"--threshold {r.Tokens[0].Value}: a percentage in (0, 100)");
        });
        return o;
    }

    public static Option<List<string>> Workloads() => Validated(new Option<List<string>>("--workload")
    {
        Description = "workloads (repeatable; default: the suite's): " + string.Join(", ", Registry.WorkloadNames), HelpName = "W",
        AllowMultipleArgumentsPerToken = true,
    }, NameProblem("workload", Registry.WorkloadNames));

    public static Option<string> Workload() => Validated(new Option<string>("--workload")
    {
        Description = "workload: " + string.Join(", ", Registry.WorkloadNames), HelpName = "W", Required = true,
    }, NameProblem("workload", Registry.WorkloadNames));

    /// <summary>--cost section.name=N: a one-off what-if on every profile the command loads (see <see cref="CostOverrides"/>).</summary>
    public static Option<List<string>> Costs() => new("--cost")
    {
        Description = "replace one primitive of the profile(s), e.g. machine.kick_ipi=900 (repeatable; the results name the change)",
        HelpName = "SECTION.NAME=CYCLES",
    };

    /// <summary>-j: independent runs on this many threads; the output is the same bytes for any value.</summary>
    public static Option<int> Jobs()
    {
        var o = new Option<int>("-j", "--jobs")
        {
            Description = "runs in parallel on N cores (the output is the same for any N)", HelpName = "N",
            DefaultValueFactory = _ => Environment.ProcessorCount,
        };
        // The raw token, not the parsed value: parsing a non-number inside a validator throws, and System.CommandLine 3
        // lets that exception escape Parse.
        o.Validators.Add(r =>
        {
            if (r.Tokens.Count == 1 && int.TryParse(r.Tokens[0].Value, NumberStyles.Integer, CultureInfo.InvariantCulture, out int j) && j < 1)
                r.AddError($"-j {j}: at least 1");
        });
        return o;
    }

    public static Option<string> Out(string dflt) => new("--out") { Description = "output folder", HelpName = "DIR", DefaultValueFactory = _ => dflt };
    public static Option<string> Seed() => new("--seed") { Description = "run seed (unsigned 64-bit)", HelpName = "S", DefaultValueFactory = _ => "1" };

    public static ulong ParseSeed(string text) =>
        ulong.TryParse(text, NumberStyles.Integer, CultureInfo.InvariantCulture, out var s)
            ? s
            : throw new InputException($"--seed {text}: not an unsigned 64-bit integer");

    /// <summary>"key=value" pairs of --set, in the order given; a key given twice is refused (which one was meant?).</summary>
    public static IReadOnlyList<KeyValuePair<string, string>> ParseSets(IEnumerable<string>? sets)
    {
        var pairs = new List<KeyValuePair<string, string>>();
        foreach (var s in sets ?? [])
        {
            int eq = s.IndexOf('=');
            if (eq <= 0 || s[..eq].Trim().Length == 0) throw new InputException($"--set {s}: expected key=value");
            var kv = new KeyValuePair<string, string>(s[..eq].Trim(), s[(eq + 1)..].Trim());
            if (pairs.FirstOrDefault(p => p.Key == kv.Key) is { Key: not null } first)
                throw new InputException($"--set {s}: {kv.Key} is given twice (also --set {first.Key}={first.Value}): give each parameter once");
            pairs.Add(kv);
        }
        return pairs;
    }

    /// <summary>Every number-valued option of <paramref name="command"/> and its verbs parses its value itself, so a
    /// value that is not a number is "--vcpus x: not an integer" rather than System.CommandLine's message with the
    /// .NET type name in it.</summary>
    public static void NumbersNamedPlainly(Command command)
    {
        foreach (var o in command.Options)
            switch (o)
            {
                case Option<int> i: i.CustomParser = r => One(r, i.Name, (string t, out int v) => int.TryParse(t, NumberStyles.Integer, CultureInfo.InvariantCulture, out v), "an integer"); break;
                case Option<int?> i: i.CustomParser = r => One(r, i.Name, (string t, out int? v) => { bool ok = int.TryParse(t, NumberStyles.Integer, CultureInfo.InvariantCulture, out int x); v = x; return ok; }, "an integer"); break;
                case Option<double> d: d.CustomParser = r => One(r, d.Name, (string t, out double v) => TryReal(t, out v), "a number"); break;
                case Option<double?> d: d.CustomParser = r => One(r, d.Name, (string t, out double? v) => { bool ok = TryReal(t, out double x); v = x; return ok; }, "a number"); break;
                case Option<List<int>> l: l.CustomParser = r => Many(r, l.Name); break;
            }
        foreach (var c in command.Subcommands) NumbersNamedPlainly(c);
    }

    private delegate bool TryParse<T>(string text, out T value);

    private static bool TryReal(string t, out double v) => double.TryParse(t, NumberStyles.Float, CultureInfo.InvariantCulture, out v) && double.IsFinite(v);

    private static T? One<T>(System.CommandLine.Parsing.ArgumentResult r, string name, TryParse<T> parse, string what)
    {
        if (r.Tokens.Count == 0) return default;
        string t = r.Tokens[^1].Value;
        if (parse(t, out T v)) return v;
        r.AddError($"{name} {t}: not {what}");
        return default;
    }

    private static List<int> Many(System.CommandLine.Parsing.ArgumentResult r, string name)
    {
        var values = new List<int>();
        foreach (var t in r.Tokens)
            if (int.TryParse(t.Value, NumberStyles.Integer, CultureInfo.InvariantCulture, out int v)) values.Add(v);
            else r.AddError($"{name} {t.Value}: not an integer");
        return values;
    }

    private static T Validated<T>(T option, Func<string, string?> problem) where T : Option
    {
        option.Validators.Add(r =>
        {
            foreach (var t in r.Tokens)
                if (problem(t.Value) is { } why) r.AddError($"{option.Name} {t.Value}: {why}");
        });
        return option;
    }

    public static Func<string, string?> NameProblem(string what, IReadOnlyList<string> valid) =>
        name => valid.Contains(name) ? null : Registry.Unknown(what, name, valid);

    /// <summary>A profile is a name in profiles/ or a path to an existing .json file; its content is checked when it
    /// is loaded.</summary>
    private static string? ProfileProblem(string name)
    {
        if (name.EndsWith(".json", StringComparison.Ordinal)) return File.Exists(name) ? null : "file not found";
        try { return ProfileStore.Names.Contains(name) ? null : Registry.Unknown("profile", name, ProfileStore.Names) + " or a path to a .json profile"; }
        catch (InputException e) { return e.Message; }
    }
}
