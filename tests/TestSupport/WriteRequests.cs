using System.Runtime.CompilerServices;
using Google.Protobuf;
using Strata.TestSupport.Prompb;
using V2 = Strata.TestSupport.WriteV2;

namespace Strata.TestSupport;

/// <summary>A test series: label pairs in the order given (not re-sorted) and (timestamp ms, value) samples.</summary>
public sealed record TestSeries((string Name, string Value)[] Labels, (long T, double V)[] Samples);

/// <summary>
/// Builds remote-write request bodies with Google.Protobuf's generated encoder and IronSnappy, an
/// encoder independent of the service's own decoder.
/// </summary>
public static class WriteRequests
{
    public static WriteRequest V1Message(IEnumerable<TestSeries> series)
    {
        var req = new WriteRequest();
        foreach (var s in series)
        {
            var ts = new TimeSeries();
            foreach (var (n, v) in s.Labels) ts.Labels.Add(new Label { Name = n, Value = v });
            foreach (var (t, v) in s.Samples) ts.Samples.Add(new Sample { Timestamp = t, Value = v });
            req.Timeseries.Add(ts);
        }
        return req;
    }

    public static byte[] V1(params TestSeries[] series) => Compress(V1Message(series).ToByteArray());

    public static V2.Request V2Message(IEnumerable<TestSeries> series)
    {
        var req = new V2.Request();
        var symbols = new Dictionary<string, uint> { [""] = 0 };
        req.Symbols.Add("");
        uint Ref(string s)
        {
            if (!symbols.TryGetValue(s, out uint r))
            {
                r = (uint)req.Symbols.Count;
                symbols[s] = r;
                req.Symbols.Add(s);
            }
            return r;
        }
        foreach (var s in series)
        {
            var ts = new V2.TimeSeries();
            foreach (var (n, v) in s.Labels)
            {
                ts.LabelsRefs.Add(Ref(n));
                ts.LabelsRefs.Add(Ref(v));
            }
            foreach (var (t, v) in s.Samples) ts.Samples.Add(new V2.Sample { Timestamp = t, Value = v });
            req.Timeseries.Add(ts);
        }
        return req;
    }

    public static byte[] V2(params TestSeries[] series) => Compress(V2Message(series).ToByteArray());

    public static byte[] Compress(byte[] raw) => IronSnappy.Snappy.Encode(raw);

    public const string V1ContentType = "application/x-protobuf";
    public const string V2ContentType = "application/x-protobuf;proto=io.prometheus.write.v2.Request";
}

/// <summary>Finds ../shared (the conformance files and specs) next to the checkout, if present.</summary>
public static class SharedDir
{
    public static string? Find() =>
        // Builds with --artifacts-path put the binaries outside the checkout, where walking up from
        // them finds nothing; this source file's compile-time path still points into the checkout.
        FindFrom(AppContext.BaseDirectory) ?? FindFrom(Path.GetDirectoryName(ThisFile()));

    private static string ThisFile([CallerFilePath] string path = "") => path;

    private static string? FindFrom(string? start)
    {
        if (string.IsNullOrEmpty(start) || !Directory.Exists(start)) return null;
        var dir = new DirectoryInfo(start);
        for (; dir != null; dir = dir.Parent)
        {
            var candidate = Path.Combine(dir.FullName, "shared");
            if (Directory.Exists(Path.Combine(candidate, "conformance"))) return candidate;
            if (File.Exists(Path.Combine(dir.FullName, "Backend.sln")))
            {
                var beside = Path.GetFullPath(Path.Combine(dir.FullName, "..", "shared"));
                return Directory.Exists(beside) ? beside : null;
            }
        }
        return null;
    }
}
