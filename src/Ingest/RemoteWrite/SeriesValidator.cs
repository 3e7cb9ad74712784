using System.Text.Unicode;
using Strata.Storage.Labels;

namespace Strata.Ingest.RemoteWrite;

/// <summary>
/// Validates a decoded series' labels in place: drops empty-valued labels (they mean "absent"), then
/// checks count and size limits, valid UTF-8, non-empty names, strict byte-order sorting (which
/// also rules out duplicates) and a non-empty <c>__name__</c>. Names may be any UTF-8, as in Prometheus 3.
/// </summary>
public static class SeriesValidator
{
    public static SeriesRejection Validate(WriteBatch batch, ref SeriesEntry s, IngestOptions options)
    {
        var buf = batch.Bytes;
        var labels = batch.Labels.AsSpan(s.LabelStart, s.LabelCount);
        int kept = 0;
        for (int i = 0; i < labels.Length; i++)
        {
            if (labels[i].ValueLength == 0) continue;
            labels[kept++] = labels[i];
        }
        s.LabelCount = kept;
        labels = labels[..kept];

        if (kept > options.MaxLabelNamesPerSeries) return SeriesRejection.TooManyLabels;
        bool hasName = false;
        for (int i = 0; i < labels.Length; i++)
        {
            var name = labels[i].Name(buf);
            var value = labels[i].Value(buf);
            if (name.Length == 0) return SeriesRejection.InvalidLabelName;
            if (name.Length > options.MaxLabelNameLength) return SeriesRejection.LabelNameTooLong;
            if (value.Length > options.MaxLabelValueLength) return SeriesRejection.LabelValueTooLong;
            if (!Utf8.IsValid(name) || !Utf8.IsValid(value)) return SeriesRejection.InvalidUtf8;
            if (i > 0)
            {
                int c = Utf8Labels.Compare(labels[i - 1].Name(buf), name);
                if (c > 0) return SeriesRejection.UnsortedLabels;
                if (c == 0) return SeriesRejection.DuplicateLabelName;
            }
            if (name.SequenceEqual("__name__"u8)) hasName = true;
        }
        return hasName ? SeriesRejection.None : SeriesRejection.MissingMetricName;
    }

    public static string Describe(SeriesRejection r) => r switch
    {
        SeriesRejection.MissingMetricName => "series has no __name__ label",
        SeriesRejection.InvalidLabelName => "empty label name",
        SeriesRejection.InvalidUtf8 => "label name or value is not valid UTF-8",
        SeriesRejection.UnsortedLabels => "label names are not sorted",
        SeriesRejection.DuplicateLabelName => "duplicate label name",
        SeriesRejection.TooManyLabels => "too many labels",
        SeriesRejection.LabelNameTooLong => "label name too long",
        SeriesRejection.LabelValueTooLong => "label value too long",
        SeriesRejection.InvalidSymbolReference => "label reference outside the symbols table or odd number of label references",
        SeriesRejection.SamplesAndHistograms => "series carries both samples and histograms",
        SeriesRejection.Empty => "series carries neither samples nor histograms",
        _ => "ok",
    };
}
