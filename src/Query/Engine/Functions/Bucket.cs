namespace Strata.Query.Engine.Functions;

/// <summary>One classic-histogram bucket: the <c>le</c> upper bound and the cumulative count of observations up to it.</summary>
internal readonly record struct Bucket(double UpperBound, double Count);
