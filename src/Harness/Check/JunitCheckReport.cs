using System.Globalization;
using System.Xml.Linq;

namespace IrqBench.Harness.Check;

/// <summary><c>check --format junit</c>: the check as JUnit XML, which CI systems (GitLab, Jenkins, GitHub test
/// reporters) show per test: a test suite per metric, a test case per scenario of that metric, a failure where it
/// moved beyond its threshold, is missing, or comes from a changed profile; host timings are one more suite.</summary>
public static class JunitCheckReport
{
    public static string Build(CheckOutcome o)
    {
        var suites = o.Metrics.Compared.GroupBy(c => c.Metric)
            .Select(g => Suite($"irqbench.{g.Key}", g.Select(c => Case(g.Key, c.Key, c.Status == CheckStatus.Ok ? null : Failure(c))))).ToList();
        if (o.Host.Count > 0)
            suites.Add(Suite("irqbench.host", o.Host.Select(h => Case("host", h.Benchmark, h.Slower ? h.Text : null))));
        var root = new XElement("testsuites", new XAttribute("name", "irqbench check"),
            new XAttribute("tests", suites.Sum(s => (int)s.Attribute("tests")!)), new XAttribute("failures", suites.Sum(s => (int)s.Attribute("failures")!)),
            suites);
        return new XDocument(new XDeclaration("1.0", "utf-8", null), root).Declaration + "\n" + root + "\n";
    }

    private static string Failure(MetricComparison c)
    {
        var ci = CultureInfo.InvariantCulture;
        string now = c.Candidate?.ToString("R", ci) ?? "missing";
        return $"{c.StatusText}: baseline {c.Baseline.ToString("R", ci)}, now {now}, allowed ±{c.Allowed.ToString("R", ci)}";
    }

    private static XElement Suite(string name, IEnumerable<XElement> cases)
    {
        var list = cases.ToList();
        return new XElement("testsuite", new XAttribute("name", name), new XAttribute("tests", list.Count),
            new XAttribute("failures", list.Count(c => c.Element("failure") is not null)), list);
    }

    private static XElement Case(string className, string name, string? failure) =>
        new("testcase", new XAttribute("classname", className), new XAttribute("name", name),
            failure is null ? null : new XElement("failure", new XAttribute("message", failure), failure));
}
