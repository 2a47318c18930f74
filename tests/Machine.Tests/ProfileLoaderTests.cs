using IrqBench.Machine.Costs;

namespace IrqBench.Machine.Tests;

public class ProfileLoaderTests
{
    private const string File = "profiles/broken.json";

    private static string Valid(Func<string, string>? edit = null)
    {
        var prims = string.Join(",\n", MachinePrimitives.Specs.Where(s => s.AppliesTo(Organisation.Vhe))
            .Select(s => $"\"{s.Name}\": {{ \"cycles\": 10, \"source\": \"assumption: test\" }}"));
        string json = $$"""{ "name": "t", "frequency_hz": 1000000000, "organisation": "vhe", "primitives": { "machine": { {{prims}} } } }""";
        return edit is null ? json : edit(json);
    }

    private static ProfileException Reject(string json) =>
        Assert.Throws<ProfileException>(() => ProfileLoader.Parse(json, File, MachinePrimitives.Specs));

    [Fact]
    public void A_complete_profile_loads_with_every_primitive()
    {
        var p = ProfileLoader.Parse(Valid(), File, MachinePrimitives.Specs);
        Assert.Equal(10, p.Get("machine", "kick_ipi"));
        Assert.Equal(Organisation.Vhe, p.Organisation);
    }

    [Fact]
    public void A_missing_primitive_is_rejected_naming_file_and_key()
    {
        var e = Reject(Valid(j => j.Replace("\"kick_ipi\": { \"cycles\": 10, \"source\": \"assumption: test\" },", "")));
        Assert.Contains(File, e.Message);
        Assert.Contains("primitives.machine.kick_ipi", e.Message);
        Assert.Contains("missing", e.Message);
    }

    [Fact]
    public void A_negative_cost_is_rejected()
    {
        var e = Reject(Valid(j => j.Replace("\"kick_ipi\": { \"cycles\": 10", "\"kick_ipi\": { \"cycles\": -5")));
        Assert.Contains("primitives.machine.kick_ipi.cycles", e.Message);
        Assert.Contains("negative", e.Message);
    }

    [Fact]
    public void An_unknown_key_is_rejected_at_every_level()
    {
        Assert.Contains("colour: unknown key", Reject(Valid(j => j.Replace("\"name\": \"t\",", "\"name\": \"t\", \"colour\": 1,"))).Message);
        Assert.Contains("primitives.machine.warp_drive: unknown primitive",
            Reject(Valid(j => j.Replace("\"machine\": {", "\"machine\": { \"warp_drive\": { \"cycles\": 1, \"source\": \"assumption\" },"))).Message);
        Assert.Contains("primitives.gpu: unknown section", Reject(Valid(j => j.Replace("\"primitives\": {", "\"primitives\": { \"gpu\": {},"))).Message);
    }

    [Fact]
    public void A_primitive_that_the_organisation_never_charges_is_rejected()
    {
        var e = Reject(Valid(j => j.Replace("\"machine\": {", "\"machine\": { \"world_switch\": { \"cycles\": 1, \"source\": \"assumption\" },")));
        Assert.Contains("not used under organisation 'vhe'", e.Message);
    }

    [Fact]
    public void Bad_json_is_rejected_naming_the_file()
    {
        var e = Reject("{ \"name\": ");
        Assert.StartsWith(File, e.Message);
        Assert.Contains("not valid JSON", e.Message);
    }

    [Fact]
    public void A_source_must_cite_costs_md_or_say_assumption()
    {
        var e = Reject(Valid(j => j.Replace("\"kick_ipi\": { \"cycles\": 10, \"source\": \"assumption: test\" }", "\"kick_ipi\": { \"cycles\": 10, \"source\": \"I think\" }")));
        Assert.Contains("primitives.machine.kick_ipi.source", e.Message);
    }

    [Theory]
    [InlineData("altra-vhe")]
    [InlineData("seattle-nvhe")]
    [InlineData("pkvm")]
    public void The_shipped_profiles_load(string name) => Assert.Equal(name, TestProfiles.Load(name).Name);
}
