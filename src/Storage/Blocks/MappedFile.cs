using System.IO.MemoryMappedFiles;

namespace Strata.Storage.Blocks;

/// <summary>
/// A read-only memory-mapped file exposed as spans. Pages are loaded by the OS on demand, so opening
/// a block costs nothing proportional to its size.
/// </summary>
/// <remarks>
/// Thread safety: <see cref="TrySlice"/> may be called from any number of threads. Disposal unmaps the
/// view, after which a span obtained earlier would point at unmapped memory; <see cref="Block"/>
/// therefore counts its readers and disposes only when none is left.
/// The pointer is acquired once (<c>AcquirePointer</c>) and kept for the lifetime of the object, which
/// is the only unsafe code in this folder.
/// </remarks>
internal sealed unsafe class MappedFile : IDisposable
{
    private readonly MemoryMappedFile _mmf;
    private readonly MemoryMappedViewAccessor _view;
    private byte* _ptr;

    private MappedFile(string path, MemoryMappedFile mmf, MemoryMappedViewAccessor view, long length)
    {
        Path = path;
        _mmf = mmf;
        _view = view;
        Length = length;
        byte* p = null;
        view.SafeMemoryMappedViewHandle.AcquirePointer(ref p);
        _ptr = p + view.PointerOffset;
    }

    public string Path { get; }
    public long Length { get; }

    /// <summary>Maps <paramref name="path"/>; an empty file cannot be mapped and is reported as corrupt.</summary>
    public static MappedFile Open(string path)
    {
        // FileShare.Delete: a block directory may be removed (retention) while queries still read it.
        var fs = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read | FileShare.Delete);
        long length = fs.Length;
        if (length == 0)
        {
            fs.Dispose();
            throw new CorruptBlockException(path, 0, "empty file");
        }
        MemoryMappedFile? mmf = null;
        try
        {
            mmf = MemoryMappedFile.CreateFromFile(fs, null, 0, MemoryMappedFileAccess.Read, HandleInheritability.None, leaveOpen: false);
            var view = mmf.CreateViewAccessor(0, 0, MemoryMappedFileAccess.Read);
            return new MappedFile(path, mmf, view, length);
        }
        catch
        {
            if (mmf != null) mmf.Dispose();
            else fs.Dispose();
            throw;
        }
    }

    /// <summary>The bytes [offset, offset + length), or false if that range is not inside the file.</summary>
    public bool TrySlice(long offset, long length, out ReadOnlySpan<byte> span)
    {
        if (offset < 0 || length < 0 || length > int.MaxValue || offset > Length - length)
        {
            span = default;
            return false;
        }
        span = new ReadOnlySpan<byte>(_ptr + offset, (int)length);
        return true;
    }

    /// <summary>Up to <paramref name="max"/> bytes starting at offset (fewer at the end of the file).</summary>
    public ReadOnlySpan<byte> From(long offset, int max)
    {
        if (offset < 0 || offset >= Length) return default;
        long n = Math.Min(max, Length - offset);
        return new ReadOnlySpan<byte>(_ptr + offset, (int)n);
    }

    public void Dispose()
    {
        if (_ptr == null) return;
        _ptr = null;
        _view.SafeMemoryMappedViewHandle.ReleasePointer();
        _view.Dispose();
        _mmf.Dispose();
    }
}
