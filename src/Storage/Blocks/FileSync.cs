using System.Runtime.InteropServices;

namespace Strata.Storage.Blocks;

/// <summary>
/// Durability helpers for the write-to-temp, fsync, rename sequence that makes a block appear
/// atomically (as Prometheus's <c>fileutil.Replace</c> does).
/// </summary>
internal static partial class FileSync
{
    /// <summary>
    /// fsyncs a directory so that entries created or renamed in it survive a crash. .NET has no API for
    /// this (opening a directory with FileStream is refused), so it calls open/fsync/close directly.
    /// A no-op on Windows, where NTFS journals directory changes.
    /// </summary>
    public static void SyncDirectory(string dir)
    {
        if (OperatingSystem.IsWindows()) return;
        int fd = Open(dir, 0 /* O_RDONLY */);
        if (fd < 0) throw new IOException($"open {dir} for fsync failed: errno {Marshal.GetLastPInvokeError()}");
        try
        {
            if (Fsync(fd) != 0) throw new IOException($"fsync {dir} failed: errno {Marshal.GetLastPInvokeError()}");
        }
        finally
        {
            _ = Close(fd);
        }
    }

    [LibraryImport("libc", EntryPoint = "open", SetLastError = true, StringMarshalling = StringMarshalling.Utf8)]
    private static partial int Open(string path, int flags);

    [LibraryImport("libc", EntryPoint = "fsync", SetLastError = true)]
    private static partial int Fsync(int fd);

    [LibraryImport("libc", EntryPoint = "close", SetLastError = true)]
    private static partial int Close(int fd);

    /// <summary>Writes a whole file durably: to <c>path.tmp</c>, fsync, rename over <paramref name="path"/>.</summary>
    public static void WriteFileAtomic(string path, ReadOnlySpan<byte> content)
    {
        string tmp = path + ".tmp";
        using (var fs = new FileStream(tmp, FileMode.Create, FileAccess.Write, FileShare.None))
        {
            fs.Write(content);
            fs.Flush(flushToDisk: true);
        }
        File.Move(tmp, path, overwrite: true);
    }
}
