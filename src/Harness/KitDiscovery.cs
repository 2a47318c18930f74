using System.Reflection;
using IrqBench.Machine.Contracts;

namespace IrqBench.Harness;

/// <summary>
/// Finds the controller designs: every public <see cref="IKitProvider"/> with a parameterless constructor in the
/// assemblies the harness references, in any assembly already loaded into the process (a test assembly that adds a
/// design), and in the plugin assemblies of the folder <c>IRQBENCH_PLUGINS</c> names. A new design is one folder and
/// one provider class; nothing in the harness names it.
/// </summary>
public static class KitDiscovery
{
    /// <summary>The standard designs first, in the order the reports use; the others after them by name.</summary>
    public static readonly IReadOnlyList<string> StandardOrder = ["gicv3", "gicv4.1", "rvic", "ideal"];

    public static IReadOnlyList<ControllerKit> Discover()
    {
        var assemblies = new Dictionary<string, Assembly>(StringComparer.Ordinal);
        void Add(Assembly a) => assemblies.TryAdd(a.FullName ?? a.GetName().Name!, a);
        var entry = typeof(KitDiscovery).Assembly;
        Add(entry);
        foreach (var name in entry.GetReferencedAssemblies())
            if (name.Name?.StartsWith("IrqBench.", StringComparison.Ordinal) == true) Add(Assembly.Load(name));
        foreach (var a in AppDomain.CurrentDomain.GetAssemblies())
            if (!a.IsDynamic && References(a, typeof(IKitProvider).Assembly)) Add(a);
        foreach (var a in Plugins()) Add(a);

        var kits = new List<ControllerKit>();
        var seen = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var type in assemblies.Values.OrderBy(a => a.GetName().Name, StringComparer.Ordinal).SelectMany(ProvidersIn))
        {
            var provider = (IKitProvider)Activator.CreateInstance(type)!;
            foreach (var kit in provider.Kits)
            {
                if (seen.TryGetValue(kit.Name, out var other))
                {
                    if (other == type.FullName) continue;
                    throw new InvalidOperationException($"two designs are called '{kit.Name}': from {other} and from {type.FullName}");
                }
                seen[kit.Name] = type.FullName!;
                kits.Add(kit);
            }
        }
        return kits.OrderBy(k => StandardOrder.ToList().IndexOf(k.Name) is var i && i >= 0 ? i : StandardOrder.Count)
            .ThenBy(k => k.Name, StringComparer.Ordinal).ToList();
    }

    private static bool References(Assembly a, Assembly contracts) =>
        a == contracts || a.GetReferencedAssemblies().Any(n => n.Name == contracts.GetName().Name);

    private static IEnumerable<Type> ProvidersIn(Assembly a)
    {
        Type[] types;
        try { types = a.GetExportedTypes(); }
        catch (Exception e) when (e is ReflectionTypeLoadException or FileNotFoundException or NotSupportedException) { yield break; }
        foreach (var t in types.OrderBy(t => t.FullName, StringComparer.Ordinal))
            if (typeof(IKitProvider).IsAssignableFrom(t) && t is { IsClass: true, IsAbstract: false } && t.GetConstructor(Type.EmptyTypes) is not null)
                yield return t;
    }

    /// <summary>The assemblies of the plugin folder (IRQBENCH_PLUGINS), loaded beside the harness's own.</summary>
    private static IEnumerable<Assembly> Plugins()
    {
        if (Environment.GetEnvironmentVariable("IRQBENCH_PLUGINS") is not { Length: > 0 } dir) yield break;
        if (!Directory.Exists(dir)) throw new InputException($"IRQBENCH_PLUGINS={dir}: no such folder");
        foreach (var file in Directory.GetFiles(dir, "*.dll").Order(StringComparer.Ordinal))
        {
            Assembly a;
            try { a = Assembly.LoadFrom(file); }
            catch (Exception e) when (e is BadImageFormatException or FileLoadException or FileNotFoundException)
            {
                throw new InputException($"IRQBENCH_PLUGINS: {file}: not a .NET assembly that can be loaded: {e.Message}");
            }
            yield return a;
        }
    }
}
