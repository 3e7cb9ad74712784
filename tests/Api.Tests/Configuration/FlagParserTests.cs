using Strata.Api.Configuration;
using Strata.Query.PromQL;

namespace Strata.Api.Tests.Configuration;

public class FlagParserTests
{
    private static readonly Dictionary<string, string> NoEnv = [];

    [Theory]
    [InlineData(new[] { "--web.listen-address=127.0.0.1:9191" }, "127.0.0.1", 9191)]
    [InlineData(new[] { "--web.listen-address", "0.0.0.0:9090" }, "0.0.0.0", 9090)]
    [InlineData(new string[0], "0.0.0.0", 9090)]
    public void ParsesListenAddressInBothForms(string[] args, string host, int port)
    {
        Assert.Null(ServerOptions.TryCreate(args, NoEnv, out var o, out _, out _));
        Assert.Equal(host, o!.ListenHost);
        Assert.Equal(port, o.ListenPort);
    }

    [Fact]
    public void DefaultsMatchTheMission()
    {
        Assert.Null(ServerOptions.TryCreate([], NoEnv, out var o, out _, out _));
        Assert.Equal(TimeSpan.FromDays(30), o!.Tsdb.Retention);
        Assert.Equal("data/", o.Tsdb.Path);
        Assert.Equal(TimeSpan.FromMinutes(5), o.Engine.LookbackDelta);
        Assert.Equal(TimeSpan.FromMinutes(2), o.Engine.Timeout);
        Assert.Equal(50_000_000, o.Engine.MaxSamples);
    }

    [Fact]
    public void EnvironmentSetsFlagsAndCommandLineWins()
    {
        var env = new Dictionary<string, string> { ["STRATA_STORAGE_TSDB_RETENTION_TIME"] = "7d", ["STRATA_STORAGE_TSDB_PATH"] = "/tmp/x" };
        Assert.Null(ServerOptions.TryCreate(["--storage.tsdb.path=/tmp/y"], env, out var o, out _, out _));
        Assert.Equal(TimeSpan.FromDays(7), o!.Tsdb.Retention);
        Assert.Equal("/tmp/y", o.Tsdb.Path);
    }

    [Theory]
    [InlineData(new[] { "--bogus" }, "unknown long flag '--bogus'")]
    [InlineData(new[] { "--storage.tsdb.retention.time=forever" }, "invalid value \"forever\" for flag '--storage.tsdb.retention.time'")]
    [InlineData(new[] { "--storage.tsdb.retention.size=12 apples" }, "'--storage.tsdb.retention.size'")]
    [InlineData(new[] { "--web.listen-address=nohostport" }, "'--web.listen-address'")]
    [InlineData(new[] { "--query.max-samples=-1" }, "'--query.max-samples'")]
    [InlineData(new[] { "--log.level=loud" }, "expected one of debug, info, warn, error")]
    [InlineData(new[] { "--storage.tsdb.path" }, "expected argument for flag '--storage.tsdb.path'")]
    [InlineData(new[] { "positional" }, "unexpected argument 'positional'")]
    [InlineData(new[] { "--query.timeout=0s" }, "must be positive")]
    public void RejectsBadFlagsWithAClearMessage(string[] args, string expected)
    {
        string? error = ServerOptions.TryCreate(args, NoEnv, out _, out _, out _);
        Assert.NotNull(error);
        Assert.Contains(expected, error);
    }

    [Fact]
    public void BadEnvironmentValueIsReported()
    {
        var env = new Dictionary<string, string> { ["STRATA_QUERY_TIMEOUT"] = "soon" };
        Assert.Contains("STRATA_QUERY_TIMEOUT", ServerOptions.TryCreate([], env, out _, out _, out _));
    }

    [Fact]
    public void BooleanFlagsTakeNoValueOrNoPrefix()
    {
        Assert.Null(ServerOptions.TryCreate(["--web.enable-admin-api", "--no-web.enable-lifecycle"], NoEnv, out var o, out _, out _));
        Assert.True(o!.EnableAdminApi);
        Assert.False(o.EnableLifecycle);
    }

    [Fact]
    public void HelpListsEveryFlagWithItsEnvironmentVariable()
    {
        Assert.Null(ServerOptions.TryCreate(["--help"], NoEnv, out _, out bool help, out _));
        Assert.True(help);
        string usage = FlagParser.Usage(ServerOptions.Flags);
        foreach (var f in ServerOptions.Flags)
        {
            Assert.Contains("--" + f.Name, usage);
            Assert.Contains(f.EnvVar, usage);
        }
    }

    [Theory]
    [InlineData("30d", 30 * 86400000L)]
    [InlineData("1h30m", 5400000L)]
    [InlineData("1500ms", 1500L)]
    [InlineData("0", 0L)]
    [InlineData("1y", 365 * 86400000L)]
    public void ParsesDurations(string s, long ms)
    {
        Assert.True(PromDuration.TryParse(s, out long d, out _));
        Assert.Equal(ms, d);
    }

    [Theory]
    [InlineData("")]
    [InlineData("1m1h")]
    [InlineData("5")]
    [InlineData("-5m")]
    [InlineData("1.5h")]
    public void RejectsBadDurations(string s) => Assert.False(PromDuration.TryParse(s, out _, out _));
}
