import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

/** A JVM workload: a thread pool, ProcessBuilder children (the JDK's own reaper), an exit code. */
public class JvmWorkload {
    public static void main(String[] args) throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(4);
        List<Future<Long>> parts = new java.util.ArrayList<>();
        for (int i = 0; i < 8; i++) {
            long seed = i;
            parts.add(pool.submit(() -> { long x = seed; for (int k = 0; k < 2_000_000; k++) x = x * 6364136223846793005L + 1442695040888963407L; return x; }));
        }
        long sum = 0;
        for (Future<Long> f : parts) sum ^= f.get();
        pool.shutdown();
        Process p = new ProcessBuilder("sh", "-c", "echo child $((6*7)); exit 5").redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes()).trim();
        int rc = p.waitFor();
        Process q = new ProcessBuilder("cat").start();
        q.getOutputStream().write("piped\n".getBytes());
        q.getOutputStream().close();
        String piped = new String(q.getInputStream().readAllBytes()).trim();
        q.waitFor();
        System.out.println("sum " + Long.toHexString(sum) + " " + out + " rc " + rc + " " + piped);
        System.exit(11);
    }
}
