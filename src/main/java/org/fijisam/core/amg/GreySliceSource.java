package org.fijisam.core.amg;

import java.util.List;

import net.imglib2.Cursor;
import net.imglib2.RandomAccessibleInterval;
import net.imglib2.type.numeric.RealType;
import net.imglib2.type.numeric.integer.GenericByteType;
import net.imglib2.view.Views;

import org.fijisam.core.Normalization;
import org.fijisam.core.SamException;
import org.fijisam.core.SamImage;
import org.fijisam.core.SamImages;

/** Grey imglib2 planes as a {@link SliceSource} (the list may be lazy: views made on demand). */
public final class GreySliceSource<T extends RealType<T>> implements SliceSource {

	private final List<RandomAccessibleInterval<T>> planes;

	public GreySliceSource(List<RandomAccessibleInterval<T>> planes) {
		this.planes = planes;
	}

	@Override
	public int size() { return planes.size(); }

	@Override
	public int[] dimensions(int index) {
		RandomAccessibleInterval<T> p = planes.get(index);
		return p.numDimensions() == 2 ? new int[] { (int) p.dimension(0), (int) p.dimension(1) } : new int[] { (int) p
			.dimension(0), (int) p.dimension(1), (int) p.dimension(2) };
	}

	@Override
	public boolean eightBitOrRgb() {
		return !planes.isEmpty() && planes.get(0).getType() instanceof GenericByteType;
	}

	@Override
	public float[] intensities(int index) {
		RandomAccessibleInterval<T> p = planes.get(index);
		float[] out = new float[(int) (p.dimension(0) * p.dimension(1))];
		Cursor<T> c = Views.flatIterable(p).cursor();
		for (int i = 0; i < out.length; i++)
			out[i] = c.next().getRealFloat();
		return out;
	}

	@Override
	public SamImage image(int index, Normalization normalization) throws SamException {
		return SamImages.fromGrey(planes.get(index), normalization);
	}
}
