// Segment Everything on every slice of a 16-bit stack (automatic masks, microscopy preset).
// Argument (optional): "images=FOLDER model=FOLDER".
arg = getArgument();
images = parseArg(arg, "images", "");
model = parseArg(arg, "model", "");
if (images == "") images = getDirectory("Choose the test-images folder");
setBatchMode(true);
open(images + File.separator + "zstack.tif");
modelOption = "";
if (model != "") modelOption = " model=[" + model + "]";
run("Segment Everything", "scope=all_slices preset=microscopy add_rois label_image results_table" + modelOption);
selectImage("zstack-labels");
print("label slices: " + nSlices);
setBatchMode(false);

function parseArg(arg, key, default) {
	parts = split(arg, " ");
	for (i = 0; i < parts.length; i++)
		if (startsWith(parts[i], key + "=")) return substring(parts[i], lengthOf(key) + 1);
	return default;
}
