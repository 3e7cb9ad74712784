namespace Strata.Storage.Labels;

/// <summary>One label pair. Strings held by stored series are interned by the postings index.</summary>
public readonly record struct Label(string Name, string Value);
