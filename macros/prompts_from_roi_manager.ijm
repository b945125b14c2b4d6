// Segment with Prompts: point prompts from the ROI Manager -> ROIs, label image, results.
// Argument (optional): "images=FOLDER model=FOLDER". Without it: asks for the test-images folder
// and uses the model chosen in Plugins > Segment Anything > Segment Anything Settings.
arg = getArgument();
images = parseArg(arg, "images", "");
model = parseArg(arg, "model", "");
if (images == "") images = getDirectory("Choose the test-images folder");
setBatchMode(true);
open(images + File.separator + "nuclei.tif");
roiManager("reset");
roiManager("Open", images + File.separator + "nuclei.zip");
prompts = roiManager("count");
modelOption = "";
if (model != "") modelOption = " model=[" + model + "]";
run("Segment with Prompts", "prompts=roi_manager area_rois=box multimask=auto add_rois label_image results_table" + modelOption);
masks = roiManager("count") - prompts;
print("prompts: " + prompts + ", masks: " + masks);
selectImage("nuclei-labels");
getStatistics(area, mean, min, max);
print("labels: max " + max);
setBatchMode(false);

function parseArg(arg, key, default) {
	parts = split(arg, " ");
	for (i = 0; i < parts.length; i++)
		if (startsWith(parts[i], key + "=")) return substring(parts[i], lengthOf(key) + 1);
	return default;
}
