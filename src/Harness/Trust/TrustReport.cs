using System.Text;
using IrqBench.Harness.Report;

namespace IrqBench.Harness.Trust;

/// <summary>The trust comparison in words and tables: forgery (per design and organisation, successes out of
/// attempts for every attack class) and the trusted surface beside the published code sizes. The same text is
/// trust.md and the trust section of report.md.</summary>
public static class TrustReport
{
    public static string Markdown(IReadOnlyList<ForgeryRow> forgery, IReadOnlyList<SurfaceRow> surface, int headingLevel = 1)
    {
        string h = new('#', headingLevel);
        var sb = new StringBuilder();
        sb.AppendLine($"{h} Trust: what an untrusted host can do to a protected guest's interrupts").AppendLine();
        if (forgery.Count == 0)
        {
            sb.AppendLine("No design in this comparison describes what its host can reach, so no attack was run.").AppendLine();
            return sb.ToString();
        }
        int attempts = forgery.Max(r => r.Attempts);
        sb.AppendLine($"Each cell: how many of {attempts} seeded attempts the guest saw succeed. Every attempt is a fresh three-vCPU VM running " +
                      $"the same guest on every design (vCPU0 sends vCPU1 a call-function IPI {TrustGuest.SendOffsetUs} µs into each {TrustAttempt.PeriodUs} µs period, " +
                      $"{TrustAttempt.Periods} periods, while vCPU1 holds PSTATE.I for the first {TrustGuest.MaskedUs} µs; two device interrupts routed to vCPU1, one of them masked; vCPU2 is sent nothing and no timer is armed), " +
                      "and the host makes one attempt at a seeded time through the means the design leaves it — under VHE and nVHE the " +
                      "host kernel is the hypervisor, so it is trusted and its reach is the whole design; under pKVM only EL2 is. " +
                      "Success is judged from what the guest took, against what it set up; *refused* marks an attack the design " +
                      "did not carry out. The control row makes no attack: the guest must see nothing.").AppendLine();
        var attacks = AttackClasses.All.Select(a => a.Name()).ToList();
        var columns = new List<(string, bool)> { ("design", false), ("organisation", false) };
        columns.AddRange(attacks.Select(a => (a == "none" ? "control" : a, true)));
        var t = new TextTable("Forgery: successes / attempts", columns.ToArray())
        {
            Note = "Attacks: " + string.Join("; ", AttackClasses.All.Select(a => $"{(a == AttackClass.None ? "control" : a.Name())} = {a.Describe()}")) + ".",
        };
        foreach (var g in forgery.GroupBy(r => (r.Design, r.Organisation)))
        {
            var cells = new List<string> { g.Key.Design, $"{g.Key.Organisation} ({g.First().Profile})" };
            foreach (var a in attacks)
            {
                var r = g.FirstOrDefault(x => x.Attack == a);
                cells.Add(r is null ? "–"
                    : a == "none" ? $"{r.GuestSawAnything}/{r.Attempts} saw anything"
                    : $"{r.Succeeded}/{r.Attempts}{(r.Accepted == 0 ? " refused" : "")}");
            }
            t.Add(cells.ToArray());
        }
        sb.Append(t.ToMarkdown());
        Surprises(sb, forgery);
        Surface(sb, surface);
        return sb.ToString();
    }

    /// <summary>Any attempt whose guest saw something other than (or besides) what the attack aims at is listed: an
    /// attack with side effects, or one that failed in a way worth reading.</summary>
    private static void Surprises(StringBuilder sb, IReadOnlyList<ForgeryRow> forgery)
    {
        var odd = forgery.Where(r => r.GuestSawAnything > r.Succeeded || (r.Attack == "none" && r.GuestSawAnything > 0)).ToList();
        if (odd.Count == 0) return;
        sb.AppendLine("What else the guest saw:").AppendLine();
        foreach (var r in odd)
            sb.AppendLine($"- {r.Design} under {r.Organisation}, {r.Attack}: {r.GuestSawAnything - (r.Attack == "none" ? 0 : r.Succeeded)} attempt(s) beyond the aim; first: {r.FirstObservation}");
        sb.AppendLine();
    }

    private static void Surface(StringBuilder sb, IReadOnlyList<SurfaceRow> surface)
    {
        if (surface.Count == 0) return;
        var t = new TextTable("Trusted surface: what the trusted part implements, counted from each design's tables",
            ("design", false), ("organisation", false), ("guest registers", true), ("hypercalls", true), ("ITS commands", true),
            ("per-vCPU state", true), ("per-VM state", true), ("exit kinds handled", true), ("forwarded", true))
        {
            Note = "Registers: guest-visible registers the trusted part emulates or context-switches; hypercalls: guest and host calls it serves; " +
                   "state: fields of the per-vCPU and per-VM objects it must hold; exit kinds: the trap registrations it handles itself against " +
                   "those it forwards to the host. Under VHE and nVHE the whole host is trusted. trust_surface.csv has each row's notes.",
        };
        foreach (var s in surface)
            t.Add(s.Design, s.Organisation, s.GuestRegisters.ToString(), s.Hypercalls.ToString(), s.ItsCommands.ToString(),
                s.PerVcpuStateFields.ToString(), s.PerVmStateFields.ToString(), s.ExitKindsHandledTrusted.ToString(), s.ExitKindsForwarded.ToString());
        sb.Append(t.ToMarkdown());
        var pkvm = surface.Where(s => s.Organisation == "pkvm").ToList();
        if (pkvm.Count > 0)
        {
            sb.AppendLine("What pKVM's EL2 holds, per design:").AppendLine();
            foreach (var s in pkvm) sb.AppendLine($"- **{s.Design}**: {s.Notes}");
            sb.AppendLine();
        }
        var sizes = new TextTable("Published code sizes", ("design", false), ("component", false), ("lines", true), ("source", false));
        foreach (var c in PublishedCodeSize.All) sizes.Add(c.Design, c.Component, c.Lines, c.Source);
        sb.Append(sizes.ToMarkdown());
    }
}
