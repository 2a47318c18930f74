namespace IrqBench.Harness.Trust;

/// <summary>What a trust comparison produced: the forgery rows (trust.csv) and the trusted surfaces (trust_surface.csv).</summary>
public sealed record TrustResults(IReadOnlyList<ForgeryRow> Forgery, IReadOnlyList<SurfaceRow> Surface);
