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

    [Fact]
    public void A_key_given_twice_is_rejected_naming_it_rather_than_taking_the_last_value()
    {
        Assert.Contains("primitives.machine.kick_ipi: appears twice",
            Reject(Valid(j => j.Replace("\"machine\": {", "\"machine\": { \"kick_ipi\": { \"cycles\": 99, \"source\": \"assumption: x\" },"))).Message);
        Assert.Contains("name: appears twice", Reject(Valid(j => j.Replace("\"name\": \"t\",", "\"name\": \"t\", \"name\": \"u\","))).Message);
        Assert.Contains("primitives.machine.kick_ipi.cycles: appears twice",
            Reject(Valid(j => j.Replace("\"kick_ipi\": { \"cycles\": 10,", "\"kick_ipi\": { \"cycles\": 10, \"cycles\": 11,"))).Message);
    }

    [Theory]
    [InlineData(1)]
    [InlineData(126)]
    [InlineData(1000)]
    [InlineData(9223372036854775807)]
    public void A_clock_outside_a_physical_range_is_rejected(long hz)
    {
        var e = Reject(Valid(j => j.Replace("\"frequency_hz\": 1000000000", $"\"frequency_hz\": {hz}")));
        Assert.Contains("frequency_hz", e.Message);
    }

    [Theory]
    [InlineData(9223372036854775807)]
    [InlineData(4611686018427387903)]
    public void A_cost_beyond_any_primitive_is_rejected_before_it_can_overflow_time(long cycles)
    {
        var e = Reject(Valid(j => j.Replace("\"kick_ipi\": { \"cycles\": 10", $"\"kick_ipi\": {{ \"cycles\": {cycles}")));
        Assert.Contains("primitives.machine.kick_ipi.cycles", e.Message);
    }

    [Fact]
    public void A_calibrated_primitive_must_name_the_figures_it_was_fitted_to_and_only_a_calibrated_one_may()
    {
        Assert.Contains("calibrated_on", Reject(Valid(j => j.Replace("\"kick_ipi\": { \"cycles\": 10, \"source\": \"assumption: test\" }",
            "\"kick_ipi\": { \"cycles\": 10, \"source\": \"calibrated: on something\" }"))).Message);
        Assert.Contains("calibrated_on", Reject(Valid(j => j.Replace("\"kick_ipi\": { \"cycles\": 10, \"source\": \"assumption: test\" }",
            "\"kick_ipi\": { \"cycles\": 10, \"source\": \"assumption: test\", \"calibrated_on\": [\"hvc\"] }"))).Message);
        var p = ProfileLoader.Parse(Valid(j => j.Replace("\"kick_ipi\": { \"cycles\": 10, \"source\": \"assumption: test\" }",
            "\"kick_ipi\": { \"cycles\": 10, \"source\": \"calibrated: docs/costs.md §1.5\", \"calibrated_on\": [\"ipi\"] }")), File, MachinePrimitives.Specs);
        Assert.Equal(["ipi"], p.CalibratedOn);
    }

    [Fact]
    public void A_file_larger_than_a_profile_can_be_is_rejected_without_reading_it_all()
    {
        string path = Path.GetTempFileName();
        try
        {
            System.IO.File.WriteAllBytes(path, new byte[ProfileLoader.MaxBytes + 10]);
            var e = Assert.Throws<ProfileException>(() => ProfileLoader.LoadFile(path, MachinePrimitives.Specs));
            Assert.Contains(path, e.Message);
            Assert.Contains("larger than", e.Message);
        }
        finally { System.IO.File.Delete(path); }
    }

    [Fact]
    public void The_same_text_has_the_same_hash_and_an_edited_copy_another()
    {
        var a = ProfileLoader.Parse(Valid(), File, MachinePrimitives.Specs);
        var b = ProfileLoader.Parse(Valid(), File, MachinePrimitives.Specs);
        var c = ProfileLoader.Parse(Valid(j => j.Replace("\"kick_ipi\": { \"cycles\": 10", "\"kick_ipi\": { \"cycles\": 11")), File, MachinePrimitives.Specs);
        Assert.Equal(a.ContentHash, b.ContentHash);
        Assert.NotEqual(a.ContentHash, c.ContentHash);
        Assert.Equal(File, a.Source);
    }

    [Theory]
    [InlineData("altra-vhe")]
    [InlineData("seattle-nvhe")]
    [InlineData("pkvm")]
    public void The_shipped_profiles_load(string name) => Assert.Equal(name, TestProfiles.Load(name).Name);
}
