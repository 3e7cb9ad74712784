namespace Strata.Storage.Index;

/// <summary>Set operations over sorted, duplicate-free id arrays.</summary>
public static class Postings
{
    public static int[] Intersect(ReadOnlySpan<int> a, ReadOnlySpan<int> b)
    {
        if (a.Length > b.Length)
        {
            var t = a;
            a = b;
            b = t;
        }
        var result = new int[a.Length];
        int n = 0;
        // When one side is much smaller, binary-search the larger one instead of walking it.
        if (a.Length * 16 < b.Length)
        {
            int lo = 0;
            foreach (int x in a)
            {
                int pos = b[lo..].BinarySearch(x);
                if (pos >= 0)
                {
                    result[n++] = x;
                    lo += pos + 1;
                }
                else
                {
                    lo += ~pos;
                }
                if (lo >= b.Length) break;
            }
        }
        else
        {
            int i = 0, j = 0;
            while (i < a.Length && j < b.Length)
            {
                int x = a[i], y = b[j];
                if (x == y)
                {
                    result[n++] = x;
                    i++;
                    j++;
                }
                else if (x < y) i++;
                else j++;
            }
        }
        Array.Resize(ref result, n);
        return result;
    }

    /// <summary>a minus b.</summary>
    public static int[] Subtract(ReadOnlySpan<int> a, ReadOnlySpan<int> b)
    {
        var result = new int[a.Length];
        int n = 0, j = 0;
        foreach (int x in a)
        {
            while (j < b.Length && b[j] < x) j++;
            if (j < b.Length && b[j] == x) continue;
            result[n++] = x;
        }
        Array.Resize(ref result, n);
        return result;
    }

    public static int[] Union(List<ArraySegment<int>> lists)
    {
        if (lists.Count == 0) return [];
        // Count check first: ArraySegment.ToArray() throws on a default segment.
        if (lists.Count == 1) return lists[0].Count == 0 ? [] : lists[0].ToArray();
        if (lists.Count == 2) return Union2(lists[0], lists[1]);
        int total = 0;
        foreach (var l in lists) total += l.Count;
        var all = new int[total];
        int off = 0;
        foreach (var l in lists)
        {
            l.AsSpan().CopyTo(all.AsSpan(off));
            off += l.Count;
        }
        Array.Sort(all);
        int n = 0;
        for (int i = 0; i < all.Length; i++)
        {
            if (n == 0 || all[n - 1] != all[i]) all[n++] = all[i];
        }
        Array.Resize(ref all, n);
        return all;
    }

    public static int[] Union2(ReadOnlySpan<int> a, ReadOnlySpan<int> b)
    {
        var result = new int[a.Length + b.Length];
        int i = 0, j = 0, n = 0;
        while (i < a.Length && j < b.Length)
        {
            int x = a[i], y = b[j];
            if (x == y)
            {
                result[n++] = x;
                i++;
                j++;
            }
            else if (x < y)
            {
                result[n++] = x;
                i++;
            }
            else
            {
                result[n++] = y;
                j++;
            }
        }
        while (i < a.Length) result[n++] = a[i++];
        while (j < b.Length) result[n++] = b[j++];
        Array.Resize(ref result, n);
        return result;
    }
}
