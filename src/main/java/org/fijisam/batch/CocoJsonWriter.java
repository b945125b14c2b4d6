package org.fijisam.batch;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Set;

import org.fijisam.core.SamException;
import org.fijisam.io.CocoJson;

/**
 * NAME_coco.json (SA-1B layout, COCO RLE masks); a stack gets one file per plane,
 * NAME_sZZZZ_coco.json, written as each plane is done (a plane's masks are not kept).
 */
public final class CocoJsonWriter implements ResultWriter {

	public static final String SUFFIX = "_coco.json";

	@Override
	public String what() {
		return "COCO file";
	}

	@Override
	public List<String> fileNames(String base) {
		return List.of(base + SUFFIX);
	}

	static String planeFile(String base, int index) {
		return String.format(Locale.ROOT, "%s_s%04d%s", base, index + 1, SUFFIX);
	}

	@Override
	public boolean isComplete(Set<String> verified, String base) {
		return verified.contains(base + SUFFIX) || verified.contains(planeFile(base, 0));
	}

	@Override
	public ImageSink open(ImageTarget t) {
		List<Path> written = new ArrayList<>();
		boolean stack = t.planes() > 1;
		return new ImageSink() {
			@Override
			public void plane(PlaneResult p) throws SamException, IOException {
				Path file = t.file(stack ? planeFile(t.base(), p.index()) : t.base() + SUFFIX);
				// A stack's per-plane names are only known now: checked like every other output.
				if (stack) t.guard().claim(file, "COCO file of " + t.input().getFileName());
				CocoJson.write(file, p.result(), t.input().getFileName().toString(), p.index() + 1);
				written.add(file);
			}

			@Override
			public List<Path> finish() {
				return written;
			}
		};
	}
}
