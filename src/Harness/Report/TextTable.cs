using System.Text;
using Spectre.Console;

namespace IrqBench.Harness.Report;

/// <summary>A table built once and printed twice: as Markdown in report.md and through Spectre.Console on the
/// console, so both say the same thing in the same order.</summary>
public sealed class TextTable(string title, params (string Header, bool Right)[] columns)
{
    private readonly List<string[]> rows = [];

    public string Title { get; } = title;
    public IReadOnlyList<(string Header, bool Right)> Columns { get; } = columns;
    public IReadOnlyList<string[]> Rows => rows;

    /// <summary>A sentence printed under the table (what the columns mean, where the numbers are).</summary>
    public string? Note { get; init; }

    public void Add(params string[] cells)
    {
        if (cells.Length != Columns.Count) throw new ArgumentException($"{cells.Length} cells for {Columns.Count} columns");
        rows.Add(cells);
    }

    public string ToMarkdown()
    {
        var sb = new StringBuilder();
        if (Title.Length > 0) sb.Append("**").Append(Title).Append("**\n\n");
        sb.Append("| ").AppendJoin(" | ", Columns.Select(c => c.Header)).Append(" |\n");
        sb.Append('|').AppendJoin("", Columns.Select(c => c.Right ? "---:|" : "---|")).Append('\n');
        foreach (var r in rows) sb.Append("| ").AppendJoin(" | ", r.Select(c => c.Replace("|", "\\|"))).Append(" |\n");
        if (Note is not null) sb.Append('\n').Append(Note).Append('\n');
        return sb.Append('\n').ToString();
    }

    public Table ToSpectre()
    {
        var t = new Table().Border(TableBorder.Rounded);
        if (Title.Length > 0) t.Title(Markup.Escape(Title));
        foreach (var (h, right) in Columns) t.AddColumn(right ? new TableColumn(Markup.Escape(h)).RightAligned() : new TableColumn(Markup.Escape(h)));
        foreach (var r in rows) t.AddRow(r.Select(Markup.Escape).ToArray());
        if (Note is not null) t.Caption(Markup.Escape(Note));
        return t;
    }
}
