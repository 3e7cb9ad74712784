using Strata.Storage.Index;
using Strata.Storage.Labels;
using MatchType = Strata.Storage.Index.MatchType;

namespace Strata.Storage.Tests.Index;

public class PostingsTests
{
    // ------------------------------------------------------------------ set operations

    public static readonly TheoryData<string, int[], int[], int[]> IntersectCases = new()
    {
        { "both empty", [], [], [] },
        { "left empty", [], [1, 2, 3], [] },
        { "right empty", [1, 2, 3], [], [] },
        { "identical", [1, 2, 3], [1, 2, 3], [1, 2, 3] },
        { "disjoint interleaved", [1, 3, 5], [2, 4, 6], [] },
        { "disjoint ranges", [1, 2, 3], [4, 5, 6], [] },
        { "subset", [2, 4], [1, 2, 3, 4, 5], [2, 4] },
        { "superset", [1, 2, 3, 4, 5], [2, 4], [2, 4] },
        { "single common", [1, 5, 9], [5], [5] },
        { "first and last", [1, 50, 100], [1, 2, 3, 100], [1, 100] },
        // Small vs 16x larger takes the binary-search path.
        { "gallop hit all", [10, 20, 30], Range(1, 100), [10, 20, 30] },
        { "gallop miss all", [0, 1000], Range(1, 100), [] },
        { "gallop below and above", [-5, 0, 1, 100, 101, 500], Range(1, 100), [1, 100] },
        { "gallop single", [64], Range(1, 100), [64] },
        { "gallop swapped", Range(1, 100), [3, 99], [3, 99] },
        { "gallop sparse", [2, 4, 6], Range(5, 80), [6] },
    };

    [Theory]
    [MemberData(nameof(IntersectCases))]
    public void Intersect(string name, int[] a, int[] b, int[] expected)
    {
        Assert.True(expected.AsSpan().SequenceEqual(Postings.Intersect(a, b)), name);
        Assert.True(expected.AsSpan().SequenceEqual(Postings.Intersect(b, a)), name + " (commuted)");
    }

    public static readonly TheoryData<string, int[], int[], int[]> SubtractCases = new()
    {
        { "both empty", [], [], [] },
        { "left empty", [], [1, 2], [] },
        { "right empty", [1, 2], [], [1, 2] },
        { "identical", [1, 2, 3], [1, 2, 3], [] },
        { "superset removed", [2, 3], [1, 2, 3, 4], [] },
        { "disjoint", [1, 3, 5], [2, 4, 6], [1, 3, 5] },
        { "first", [1, 2, 3], [1], [2, 3] },
        { "last", [1, 2, 3], [3], [1, 2] },
        { "middle", [1, 2, 3], [2], [1, 3] },
        { "extra in b beyond a", [5, 6], [1, 6, 7, 8], [5] },
        { "b all smaller", [10, 11], [1, 2, 3], [10, 11] },
        { "b all larger", [1, 2], [10, 11], [1, 2] },
    };

    [Theory]
    [MemberData(nameof(SubtractCases))]
    public void Subtract(string name, int[] a, int[] b, int[] expected) =>
        Assert.True(expected.AsSpan().SequenceEqual(Postings.Subtract(a, b)), name);

    public static readonly TheoryData<string, int[][], int[]> UnionCases = new()
    {
        { "no lists", [], [] },
        { "one empty", [[]], [] },
        { "one", [[1, 2, 3]], [1, 2, 3] },
        { "two empty", [[], []], [] },
        { "two, one empty", [[], [4, 5]], [4, 5] },
        { "two identical", [[1, 2], [1, 2]], [1, 2] },
        { "two interleaved", [[1, 3, 5], [2, 4, 6]], [1, 2, 3, 4, 5, 6] },
        { "two overlapping", [[1, 2, 3], [3, 4]], [1, 2, 3, 4] },
        { "two tails", [[1], [2, 3, 4]], [1, 2, 3, 4] },
        { "three overlapping", [[1, 5], [5, 9], [1, 9, 10]], [1, 5, 9, 10] },
        { "three with empties", [[], [7], []], [7] },
        { "many", [[1], [2], [3], [1, 2, 3], [100], [50]], [1, 2, 3, 50, 100] },
    };

    [Theory]
    [MemberData(nameof(UnionCases))]
    public void Union(string name, int[][] lists, int[] expected)
    {
        var segments = new List<ArraySegment<int>>();
        foreach (var l in lists) segments.Add(l);
        Assert.True(expected.AsSpan().SequenceEqual(Postings.Union(segments)), name);
    }

    [Fact]
    public void Union_OffsetAndDefaultSegments()
    {
        int[] backing = [99, 1, 2, 3, 99];
        var offset = new ArraySegment<int>(backing, 1, 3);
        Assert.Equal([1, 2, 3], Postings.Union([offset]));
        Assert.Equal([1, 2, 3, 4], Postings.Union([offset, new ArraySegment<int>([4])]));
        Assert.Equal([1, 2, 3], Postings.Union([default, offset, default]));
        Assert.Empty(Postings.Union([default]));
        Assert.Empty(Postings.Union([default, default]));
    }

    [Fact]
    public void SetOperations_MatchReferenceOnRandomInput()
    {
        var rnd = new Random(42);
        for (int iter = 0; iter < 500; iter++)
        {
            int[] a = RandomSorted(rnd, rnd.Next(0, 60), rnd.Next(1, 200));
            int[] b = RandomSorted(rnd, rnd.Next(0, 2000), rnd.Next(1, 3000));
            int[] c = RandomSorted(rnd, rnd.Next(0, 30), 500);
            var sa = new SortedSet<int>(a);

            var inter = new SortedSet<int>(a);
            inter.IntersectWith(b);
            Assert.Equal(inter, Postings.Intersect(a, b));
            Assert.Equal(inter, Postings.Intersect(b, a));

            var diff = new SortedSet<int>(a);
            diff.ExceptWith(b);
            Assert.Equal(diff, Postings.Subtract(a, b));

            var union = new SortedSet<int>(a);
            union.UnionWith(b);
            Assert.Equal(union, Postings.Union2(a, b));
            union.UnionWith(c);
            Assert.Equal(union, Postings.Union([a, b, c]));
            Assert.Equal(sa, Postings.Union([a]));
        }
    }

    // ------------------------------------------------------------------ PostingsIndex.Select

    private static readonly (int Id, LabelSet Labels)[] Series =
    [
        (1, LabelSet.From(("__name__", "up"), ("job", "api"), ("instance", "a"))),
        (2, LabelSet.From(("__name__", "up"), ("job", "api"), ("instance", "b"))),
        (3, LabelSet.From(("__name__", "up"), ("job", "db"), ("instance", "a"))),
        (4, LabelSet.From(("__name__", "down"), ("job", "db"))),
        (5, LabelSet.From(("__name__", "up"), ("instance", "c"))),
        (6, LabelSet.From(("__name__", "http"), ("job", "api-gw"), ("path", "/x\ny"))),
        (7, LabelSet.From(("__name__", "up"), ("job", "API"))),
    ];

    private static PostingsIndex BuildIndex()
    {
        var index = new PostingsIndex();
        foreach (var (id, labels) in Series) index.Add(id, labels);
        return index;
    }

    public static readonly TheoryData<string, int[]> SelectCases = new()
    {
        // Equality.
        { """job="api" """, [1, 2] },
        { """job="nope" """, [] },
        { """missing="x" """, [] },
        { """__name__="up", job="api", instance="b" """, [2] },
        { """job="api", job="db" """, [] },
        // Inequality: series without the label match too.
        { """job!="api" """, [3, 4, 5, 6, 7] },
        { """missing!="x" """, [1, 2, 3, 4, 5, 6, 7] },
        { """__name__="up", job!="api" """, [3, 5, 7] },
        // Empty value means "label absent".
        { """job="" """, [5] },
        { """job!="" """, [1, 2, 3, 4, 6, 7] },
        { """missing="" """, [1, 2, 3, 4, 5, 6, 7] },
        { """missing!="" """, [] },
        { """__name__="up", job="" """, [5] },
        // Regex: fully anchored, case-sensitive.
        { """job=~"api|db" """, [1, 2, 3, 4] },
        { """job=~"db|api|nope" """, [1, 2, 3, 4] },
        { """job=~"ap" """, [] },
        { """job=~"pi" """, [] },
        { """job=~"API" """, [7] },
        { """job=~"(?i)API" """, [1, 2, 7] },
        { """job=~"a.i" """, [1, 2] },
        { """job=~"api|" """, [1, 2, 5] },
        { """job=~"|db" """, [3, 4, 5] },
        { """job=~"" """, [5] },
        { """job=~".+" """, [1, 2, 3, 4, 6, 7] },
        { """job=~".*" """, [1, 2, 3, 4, 5, 6, 7] },
        { """job=~".*?" """, [1, 2, 3, 4, 5, 6, 7] },
        { """job=~"(.*)" """, [1, 2, 3, 4, 5, 6, 7] },
        { """missing=~".+" """, [] },
        { """missing=~"x|" """, [1, 2, 3, 4, 5, 6, 7] },
        // ".*" prefixes and suffixes.
        { """job=~"a.*" """, [1, 2, 6] },
        { """job=~"api.*" """, [1, 2, 6] },
        { """job=~"api-.*" """, [6] },
        { """job=~".*i" """, [1, 2] },
        { """job=~".*b.*" """, [3, 4] },
        { """job=~"(api|db).*" """, [1, 2, 3, 4, 6] },
        { """path=~"/x.y" """, [6] },   // "." matches a newline
        { """path=~"/x.*" """, [6] },
        { """path=~".*y" """, [6] },
        // Negated regex.
        { """job!~"api" """, [3, 4, 5, 6, 7] },
        { """job!~"api|db" """, [5, 6, 7] },
        { """job!~"a.*" """, [3, 4, 5, 7] },
        { """job!~".*" """, [] },
        { """job!~".+" """, [5] },
        { """job!~"" """, [1, 2, 3, 4, 6, 7] },
        { """job!~"api|" """, [3, 4, 6, 7] },
        { """__name__="up", job!~"api|db" """, [5, 7] },
        // No positive matchers: start from all series.
        { "", [1, 2, 3, 4, 5, 6, 7] },
        { """job!="api", instance!="a" """, [4, 5, 6, 7] },
        { """job!~"a.*", instance!~"a|b" """, [4, 5, 7] },
        { """__name__!="up", job!="db" """, [6] },
        // Mixed.
        { """__name__=~"up|down", instance=~"a|c", job!="db" """, [1, 5] },
        { """__name__="up", instance!="", job=~".*" """, [1, 2, 3, 5] },
    };

    [Theory]
    [MemberData(nameof(SelectCases))]
    public void Select(string selector, int[] expected)
    {
        var index = BuildIndex();
        var matchers = ParseMatchers(selector);

        Assert.Equal(expected, index.Select(matchers));

        // Reference: apply each matcher to every series (absent label = empty value).
        var reference = new List<int>();
        foreach (var (id, labels) in Series)
        {
            bool all = true;
            foreach (var m in matchers) all &= m.Matches(labels.Get(m.Name) ?? "");
            if (all) reference.Add(id);
        }
        Assert.Equal(reference, expected);
    }

    [Fact]
    public void Select_AfterRemove()
    {
        var index = BuildIndex();
        index.Remove(new Dictionary<int, LabelSet> { [1] = Series[0].Labels, [4] = Series[3].Labels });
        Assert.Equal([2], index.Select(ParseMatchers("""job="api" """)));
        Assert.Equal([3], index.Select(ParseMatchers("""job="db" """)));
        Assert.Equal([], index.Select(ParseMatchers("""__name__="down" """)));
        Assert.Equal([2, 3, 5, 6, 7], index.Select([]));
        Assert.DoesNotContain("down", index.LabelValues("__name__"));
    }

    [Fact]
    public void Select_OutOfOrderAdds_StayOrdered()
    {
        // Two series created concurrently can reach the index out of id order.
        var index = new PostingsIndex();
        index.Add(2, LabelSet.From(("job", "a")));
        index.Add(1, LabelSet.From(("job", "a")));
        index.Add(3, LabelSet.From(("job", "b")));
        Assert.Equal([1, 2], index.Select(ParseMatchers("""job="a" """)));
        Assert.Equal([1, 2, 3], index.Select([]));
    }

    [Fact]
    public void LabelNamesAndValues_AreSorted()
    {
        var index = BuildIndex();
        Assert.Equal(["__name__", "instance", "job", "path"], index.LabelNames());
        Assert.Equal(["API", "api", "api-gw", "db"], index.LabelValues("job"));
        Assert.Empty(index.LabelValues("missing"));
    }

    // ------------------------------------------------------------------ helpers

    private static int[] Range(int from, int toInclusive)
    {
        var r = new int[toInclusive - from + 1];
        for (int i = 0; i < r.Length; i++) r[i] = from + i;
        return r;
    }

    private static int[] RandomSorted(Random rnd, int n, int max)
    {
        var set = new SortedSet<int>();
        for (int i = 0; i < n; i++) set.Add(rnd.Next(0, max));
        return [.. set];
    }

    /// <summary>Parses <c>a="x", b!~"y"</c>; values are raw (no escapes), as the cases need none.</summary>
    private static List<LabelMatcher> ParseMatchers(string selector)
    {
        var result = new List<LabelMatcher>();
        int i = 0;
        while (true)
        {
            while (i < selector.Length && (selector[i] == ' ' || selector[i] == ',')) i++;
            if (i >= selector.Length) return result;
            int nameStart = i;
            while (selector[i] is not ('=' or '!')) i++;
            string name = selector[nameStart..i];
            MatchType type;
            if (selector[i] == '!')
            {
                type = selector[i + 1] == '~' ? MatchType.NotRegex : MatchType.NotEqual;
                i += 2;
            }
            else if (selector[i + 1] == '~')
            {
                type = MatchType.Regex;
                i += 2;
            }
            else
            {
                type = MatchType.Equal;
                i += 1;
            }
            int close = selector.IndexOf('"', i + 1);
            string value = selector[(i + 1)..close];
            result.Add(new LabelMatcher(type, name, value));
            i = close + 1;
        }
    }
}
