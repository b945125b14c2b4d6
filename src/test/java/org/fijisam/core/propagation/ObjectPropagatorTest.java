package org.fijisam.core.propagation;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;

import org.fijisam.core.BinaryMask;
import org.fijisam.core.EmbeddingCache;
import org.fijisam.core.InvalidPromptException;
import org.fijisam.core.MaskSelection;
import org.fijisam.core.Prompt;
import org.fijisam.core.SamException;
import org.fijisam.core.SamPredictor;
import org.fijisam.core.UnsupportedImageException;
import org.fijisam.fake.BlobFakeModel;
import org.junit.jupiter.api.Test;

/**
 * Propagation on {@link BlobFakeModel}, which segments the bright blob under the prompt, so
 * objects can be followed, can end and can run into another object.
 */
class ObjectPropagatorTest {

	private static final int PLANES = 20;
	private static final int START = 8;

	/** Object A on planes 3..15, object B on planes 5..17 (0-based). */
	private static SyntheticStack twoObjects() {
		SyntheticStack s = new SyntheticStack(PLANES);
		for (int z = 3; z <= 15; z++)
			s.draw(SyntheticStack.discA(z));
		for (int z = 5; z <= 17; z++)
			s.draw(SyntheticStack.discB(z));
		return s;
	}

	private static StartObject truthAt(int label, SyntheticStack.Disc d) {
		return new StartObject(label, SyntheticStack.mask(d), null);
	}

	@Test
	void followsAnObjectThroughItsPlanesAndStopsWhereItEnds() throws Exception {
		BlobFakeModel model = new BlobFakeModel();
		SamPredictor predictor = new SamPredictor(model, EmbeddingCache.inMemory(64 << 20));
		SyntheticStack stack = twoObjects();
		// The start mask as the user would get it: one click, decoded by the model.
		SyntheticStack.Disc a = SyntheticStack.discA(START);
		StartObject start = StartObject.of(1, predictor.segment(predictor.embed(stack.plane(START)), Prompt.point(a.x,
			a.y), MaskSelection.AUTO));
		List<Double> fractions = new ArrayList<>();
		// Box and mask input too (off by default), so that every part of the prompt is exercised.
		PropagationRules rules = PropagationRules.builder().box(true).maskPrompt(true).build();
		// Without the background encoding, so that the encodings can be counted exactly.
		PropagationResult r = new ObjectPropagator(predictor, rules, false).propagate(stack, START, Collections
			.singletonList(start), (f, m) -> fractions.add(f), null);

		PropagatedObject o = r.objects().get(0);
		assertEquals(3, o.firstPlane());
		assertEquals(15, o.lastPlane());
		for (int z = 3; z <= 15; z++) {
			double iou = o.mask(z).iou(SyntheticStack.mask(SyntheticStack.discA(z)));
			assertTrue(iou >= 0.85, "plane " + z + ": IoU " + iou);
		}
		StopReason forward = o.stop(Direction.FORWARD), backward = o.stop(Direction.BACKWARD);
		assertEquals(StopReason.Kind.EMPTY, forward.kind());
		assertEquals(16, forward.plane());
		assertEquals("stopped at plane 17: the mask is empty", forward.message());
		assertEquals(2, backward.plane());
		assertEquals("stopped at plane 3: the mask is empty", backward.message());
		assertFalse(r.cancelled());
		// Each plane visited was encoded once (the start plane by the click above), and the
		// start logits and each kept plane's logits were the next plane's mask prompt.
		assertEquals(1 + 8 + 6, model.encodes());
		assertTrue(model.maskInputs().subList(1, model.maskInputs().size()).stream().allMatch(b -> b));
		assertEquals(1.0, fractions.get(fractions.size() - 1));
	}

	/**
	 * By default the next plane is encoded on a background thread while the current one is
	 * decoded: the same masks as encoding each plane when it is reached, at most one plane
	 * each way encoded for nothing (the one after the objects' end), and an encoder failure on the
	 * background thread reaches the caller as the model's own error.
	 */
	@Test
	void theNextPlaneIsEncodedInTheBackground() throws Exception {
		SyntheticStack stack = twoObjects();
		List<StartObject> start = Arrays.asList(truthAt(1, SyntheticStack.discA(START)), truthAt(2, SyntheticStack
			.discB(START)));
		RecordingModel plain = new RecordingModel(-1), ahead = new RecordingModel(-1);
		PropagationResult a = new ObjectPropagator(new SamPredictor(plain), null, false).propagate(stack, START, start,
			null, null);
		PropagationResult b = new ObjectPropagator(new SamPredictor(ahead), null).propagate(stack, START, start, null,
			null);
		for (int i = 0; i < 2; i++) {
			PropagatedObject x = a.objects().get(i), y = b.objects().get(i);
			assertEquals(x.masks().keySet(), y.masks().keySet());
			for (int z : x.masks().keySet())
				assertEquals(1.0, x.mask(z).iou(y.mask(z)), "object " + x.label() + ", plane " + z);
		}
		assertTrue(plain.threads.stream().noneMatch(t -> t.equals("SAM plane prefetch")), plain.threads.toString());
		assertTrue(ahead.threads.stream().filter(t -> t.equals("SAM plane prefetch")).count() >= plain.threads.size() - 2,
			ahead.threads.toString());
		assertTrue(ahead.threads.size() <= plain.threads.size() + 2, ahead.threads + " vs " + plain.threads);

		RecordingModel failing = new RecordingModel(4);
		SamException e = assertThrows(SamException.class, () -> new ObjectPropagator(new SamPredictor(failing), null)
			.propagate(stack, START, start, null, null));
		assertEquals("encoder failed on run 4", e.getMessage());
	}

	/** The blob fake, recording which thread ran each encoding and failing on one run if asked. */
	private static final class RecordingModel implements org.fijisam.core.SamModel {
		final BlobFakeModel blob = new BlobFakeModel();
		final List<String> threads = java.util.Collections.synchronizedList(new ArrayList<>());
		final int failOnRun;

		RecordingModel(int failOnRun) {
			this.failOnRun = failOnRun;
		}

		@Override
		public org.fijisam.core.ModelSpec spec() { return blob.spec(); }

		@Override
		public org.fijisam.core.ImageEncoder encoder() {
			return input -> {
				threads.add(Thread.currentThread().getName());
				if (threads.size() == failOnRun) throw new org.fijisam.core.ModelException("encoder failed on run " +
					failOnRun);
				return blob.encoder().encode(input);
			};
		}

		@Override
		public org.fijisam.core.MaskDecoder decoder() { return blob.decoder(); }

		@Override
		public String id() { return blob.id(); }

		@Override
		public String executionSummary() { return blob.executionSummary(); }

		@Override
		public boolean batchedDecoder() { return blob.batchedDecoder(); }

		@Override
		public void close() {}
	}

	/** The optional prompt rules (off by default) follow the same object to the same ends. */
	@Test
	void recentredAndClosestMaskRulesFollowTheObjectToo() throws Exception {
		SyntheticStack stack = twoObjects();
		PropagationRules rules = PropagationRules.builder().recentre(true).closestMask(true).build();
		PropagationResult r = new ObjectPropagator(new SamPredictor(new BlobFakeModel()), rules).propagate(stack, START,
			Collections.singletonList(truthAt(1, SyntheticStack.discA(START))), null, null);
		PropagatedObject o = r.objects().get(0);
		assertEquals(Arrays.asList(3, 15), Arrays.asList(o.firstPlane(), o.lastPlane()));
		for (int z = 3; z <= 15; z++)
			assertTrue(o.mask(z).iou(SyntheticStack.mask(SyntheticStack.discA(z))) >= 0.85, "plane " + z);
		assertTrue(o.score(START + 1).predictedIou() > 0, "the model's scores are kept per plane");
	}

	/** A stray piece of a mask would pull the centroid, and with it the next prompt, off the object. */
	@Test
	void aNewMaskIsCutToItsLargestPiece() {
		byte[] bits = new byte[8 * 4];
		for (int y = 0; y < 3; y++)
			for (int x = 0; x < 3; x++)
				bits[y * 8 + x] = 1;
		bits[3 * 8 + 7] = 1;
		BinaryMask piece = ObjectPropagator.largestPiece(new BinaryMask(8, 4, bits));
		assertEquals(9, piece.area());
		assertTrue(piece.get(1, 1) && !piece.get(7, 3));
		BinaryMask whole = new BinaryMask(8, 4, new byte[32]);
		assertSame(whole, ObjectPropagator.largestPiece(whole));
	}

	@Test
	void twoObjectsKeepTheirLabelsInTheLabelVolume() throws Exception {
		BlobFakeModel model = new BlobFakeModel();
		SyntheticStack stack = twoObjects();
		PropagationResult r = new ObjectPropagator(new SamPredictor(model), null, false).propagate(stack, START, Arrays
			.asList(truthAt(1, SyntheticStack.discA(START)), truthAt(2, SyntheticStack.discB(START))), null, null);
		PropagatedObject a = r.objects().get(0), b = r.objects().get(1);
		assertEquals(1, a.label());
		assertEquals(2, b.label());
		assertEquals(Arrays.asList(3, 15), Arrays.asList(a.firstPlane(), a.lastPlane()));
		assertEquals(Arrays.asList(5, 17), Arrays.asList(b.firstPlane(), b.lastPlane()));
		assertEquals("stopped at plane 19: the mask is empty", b.stop(Direction.FORWARD).message());
		// Forward planes 9..18 (B is lost on 18), backward 7..2 (A is lost on 2): each encoded once
		// for both objects.
		assertEquals(10 + 6, model.encodes());

		int[][] volume = r.labelVolume();
		assertEquals(PLANES, volume.length);
		for (int z = 0; z < PLANES; z++) {
			boolean hasA = z >= 3 && z <= 15, hasB = z >= 5 && z <= 17;
			int[] counts = counts(volume[z]);
			if (hasA) assertTrue(iou(volume[z], 1, SyntheticStack.mask(SyntheticStack.discA(z))) >= 0.85, "A on " + z);
			else assertEquals(0, counts[1], "no A on plane " + z);
			if (hasB) assertTrue(iou(volume[z], 2, SyntheticStack.mask(SyntheticStack.discB(z))) >= 0.85, "B on " + z);
			else assertEquals(0, counts[2], "no B on plane " + z);
		}
	}

	@Test
	void stopsWhenThePromptLandsOnAnotherObject() throws Exception {
		SyntheticStack stack = new SyntheticStack(PLANES);
		for (int z = 3; z <= 15; z++)
			stack.draw(SyntheticStack.discA(z));
		// On plane 12 (0-based) a band much larger than A covers where A was.
		stack.band(12, 20, 110);
		PropagationResult r = new ObjectPropagator(new SamPredictor(new BlobFakeModel()), PropagationRules.defaults())
			.propagate(stack, START, Collections.singletonList(truthAt(7, SyntheticStack.discA(START))), null, null);
		StopReason forward = r.objects().get(0).stop(Direction.FORWARD);
		assertEquals(StopReason.Kind.OVERLAP, forward.kind());
		assertEquals(12, forward.plane());
		assertTrue(forward.message().matches("stopped at plane 13: overlap 0\\.\\d\\d < 0\\.20"), forward.message());
		assertEquals(11, r.objects().get(0).lastPlane());
		assertTrue(forward.rejected());
	}

	/**
	 * A disc of radius 10 moving 8 pixels a plane: consecutive masks overlap by only 0.34, so an
	 * overlap rule of 0.5 against the unmoved previous mask stops at once, while against the
	 * previous mask moved by the expected move (the default) the disc is followed to both ends;
	 * going back, the first move expected is the first move forward reversed.
	 */
	@Test
	void theOverlapRuleAllowsForTheObjectsMove() throws Exception {
		SyntheticStack stack = new SyntheticStack(PLANES);
		for (int z = 2; z <= 13; z++)
			stack.draw(new SyntheticStack.Disc(z, 14 + 8 * z, 64, 10));
		List<StartObject> start = Collections.singletonList(truthAt(1, new SyntheticStack.Disc(START, 14 + 8 * START,
			64, 10)));
		PropagationResult unmoved = new ObjectPropagator(new SamPredictor(new BlobFakeModel()), PropagationRules
			.builder().minOverlap(0.5).overlapAfterMove(false).build()).propagate(stack, START, start, null, null);
		assertEquals(StopReason.Kind.OVERLAP, unmoved.objects().get(0).stop(Direction.FORWARD).kind());
		assertEquals(START, unmoved.objects().get(0).lastPlane());

		PropagationResult moved = new ObjectPropagator(new SamPredictor(new BlobFakeModel()), PropagationRules
			.builder().minOverlap(0.5).build()).propagate(stack, START, start, null, null);
		PropagatedObject o = moved.objects().get(0);
		assertEquals(2, o.firstPlane(), o.toString());
		assertEquals(13, o.lastPlane());
		for (int z = 2; z <= 13; z++) {
			double iou = o.mask(z).iou(SyntheticStack.mask(new SyntheticStack.Disc(z, 14 + 8 * z, 64, 10)));
			assertTrue(iou >= 0.85, "plane " + z + ": IoU " + iou);
		}
		assertEquals(StopReason.Kind.EMPTY, o.stop(Direction.FORWARD).kind());
		assertEquals(StopReason.Kind.EMPTY, o.stop(Direction.BACKWARD).kind());
	}

	@Test
	void iouWithAMovedMask() {
		BinaryMask a = SyntheticStack.mask(new SyntheticStack.Disc(0, 40, 40, 10));
		BinaryMask b = SyntheticStack.mask(new SyntheticStack.Disc(0, 48, 43, 10));
		assertEquals(1.0, b.iouMoved(a, 8, 3), 1e-12);
		assertEquals(a.iou(b), a.iouMoved(b, 0, 0), 1e-12);
		assertTrue(a.iou(b) < 0.4);
		// Moved off the image, the part that falls outside is gone: no overlap left.
		assertEquals(0.0, a.iouMoved(a, SyntheticStack.SIZE, 0), 1e-12);
	}

	@Test
	void rulesOnTheModelsScoreAndOnThePlaneCount() throws Exception {
		SyntheticStack stack = twoObjects();
		List<StartObject> a = Collections.singletonList(truthAt(1, SyntheticStack.discA(START)));
		PropagationResult strict = new ObjectPropagator(new SamPredictor(new BlobFakeModel(0.9f)), PropagationRules
			.builder().minPredictedIou(0.95).build()).propagate(stack, START, a, null, null);
		PropagatedObject o = strict.objects().get(0);
		assertEquals(Collections.singletonList(START), new ArrayList<>(o.masks().keySet()));
		assertEquals("stopped at plane 10: predicted IoU 0.90 < 0.95", o.stop(Direction.FORWARD).message());
		assertEquals("stopped at plane 8: predicted IoU 0.90 < 0.95", o.stop(Direction.BACKWARD).message());

		PropagationResult unstable = new ObjectPropagator(new SamPredictor(new BlobFakeModel(0.9f, 0.5f)),
			PropagationRules.defaults()).propagate(stack, START, a, null, null);
		assertEquals("stopped at plane 10: stability 0.00 < 0.50", unstable.objects().get(0).stop(Direction.FORWARD)
			.message());
		assertEquals(StopReason.Kind.STABILITY, unstable.objects().get(0).stop(Direction.FORWARD).kind());

		PropagationResult limited = new ObjectPropagator(new SamPredictor(new BlobFakeModel()), PropagationRules
			.builder().maxPlanes(2).build()).propagate(stack, START, a, null, null);
		o = limited.objects().get(0);
		assertEquals(Arrays.asList(6, 10), Arrays.asList(o.firstPlane(), o.lastPlane()));
		assertEquals(StopReason.Kind.PLANE_LIMIT, o.stop(Direction.FORWARD).kind());
		assertFalse(o.stop(Direction.FORWARD).rejected());

		// An object that lasts to the end of the stack.
		SyntheticStack all = new SyntheticStack(6);
		for (int z = 0; z < 6; z++)
			all.draw(SyntheticStack.discA(z));
		o = new ObjectPropagator(new SamPredictor(new BlobFakeModel()), null).propagate(all, 2, Collections
			.singletonList(truthAt(1, SyntheticStack.discA(2))), null, null).objects().get(0);
		assertEquals(Arrays.asList(0, 5), Arrays.asList(o.firstPlane(), o.lastPlane()));
		assertEquals("reached the last plane (6)", o.stop(Direction.FORWARD).message());
		assertEquals("reached the first plane (1)", o.stop(Direction.BACKWARD).message());
	}

	@Test
	void cancellingHalfWayKeepsThePlanesDone() throws Exception {
		BlobFakeModel model = new BlobFakeModel();
		SyntheticStack stack = twoObjects();
		// Cancelled at the 4th check (once per plane, before it): counting encodings instead raced
		// with the background encoding of the next plane, which may or may not have started.
		java.util.concurrent.atomic.AtomicInteger checks = new java.util.concurrent.atomic.AtomicInteger();
		PropagationResult r = new ObjectPropagator(new SamPredictor(model), null).propagate(stack, START, Collections
			.singletonList(truthAt(1, SyntheticStack.discA(START))), null, () -> checks.incrementAndGet() > 3);
		assertTrue(r.cancelled());
		PropagatedObject o = r.objects().get(0);
		assertEquals(Arrays.asList(8, 9, 10, 11), new ArrayList<>(o.masks().keySet()));
		assertEquals(StopReason.Kind.CANCELLED, o.stop(Direction.FORWARD).kind());
		assertEquals("cancelled before plane 13", o.stop(Direction.FORWARD).message());
		assertEquals("cancelled before plane 8", o.stop(Direction.BACKWARD).message());
		int[][] volume = r.labelVolume();
		assertTrue(counts(volume[11])[1] > 0);
		assertEquals(0, counts(volume[12])[1]);
	}

	@Test
	void badInputIsExplained() throws Exception {
		ObjectPropagator p = new ObjectPropagator(new SamPredictor(new BlobFakeModel()), null);
		SyntheticStack stack = twoObjects();
		List<StartObject> a = Collections.singletonList(truthAt(1, SyntheticStack.discA(START)));

		SamException e = assertThrows(InvalidPromptException.class, () -> p.propagate(stack, PLANES, a, null, null));
		assertEquals("The start plane 21 is outside the stack, which has planes 1..20.", e.getMessage());
		e = assertThrows(UnsupportedImageException.class, () -> p.propagate(new SyntheticStack(1), 0, a, null, null));
		assertTrue(e.getMessage().contains("a 2D image has nothing to propagate through"), e.getMessage());
		e = assertThrows(UnsupportedImageException.class, () -> p.propagate(twoObjects().resize(11, 64), START, a, null,
			null));
		assertEquals("Plane 12 is 64x64 but the start plane 9 is 128x128: every plane of the stack must have the same "
			+ "size.", e.getMessage());
		List<StartObject> empty = Collections.singletonList(new StartObject(3, new BinaryMask(128, 128,
			new byte[128 * 128]), null));
		e = assertThrows(InvalidPromptException.class, () -> p.propagate(stack, START, empty, null, null));
		assertEquals("The start mask of object 3 on plane 9 is empty: segment the object on the start plane first.", e
			.getMessage());
		e = assertThrows(InvalidPromptException.class, () -> p.propagate(stack, START, Arrays.asList(a.get(0), a.get(0)),
			null, null));
		assertTrue(e.getMessage().startsWith("Two objects have label 1"), e.getMessage());
	}

	private static int[] counts(int[] labels) {
		int[] c = new int[8];
		for (int v : labels)
			c[v]++;
		return c;
	}

	private static double iou(int[] labels, int label, BinaryMask truth) {
		byte[] b = new byte[labels.length];
		for (int i = 0; i < b.length; i++)
			b[i] = (byte) (labels[i] == label ? 1 : 0);
		return new BinaryMask(truth.width(), truth.height(), b).iou(truth);
	}
}
