// Batch Segment Folder, headless-safe (no windows, no ROI Manager):
//   ImageJ --headless -batch macros/batch_folder_headless.ijm "input=test-images output=/tmp/sam-out model=FOLDER"
// Each image with a ROI set next to it (NAME.zip / NAME.roi) is segmented from those prompts;
// NAME-labels.tif, NAME-results.csv and NAME-rois.zip are written to the output folder.
arg = getArgument();
input = parseArg(arg, "input", "");
output = parseArg(arg, "output", "");
model = parseArg(arg, "model", "");
if (input == "" || output == "") exit("Give input=FOLDER output=FOLDER as the macro argument.");
modelOption = "";
if (model != "") modelOption = " model=[" + model + "]";
setBatchMode(true);
run("Batch Segment Folder", "input=[" + input + "] output=[" + output + "] mode=roi_files area_rois=box multimask=auto" + modelOption);
list = getFileList(output);
n = 0;
for (i = 0; i < list.length; i++)
	if (endsWith(list[i], "-labels.tif")) n++;
print("label images written: " + n);

function parseArg(arg, key, default) {
	parts = split(arg, " ");
	for (i = 0; i < parts.length; i++)
		if (startsWith(parts[i], key + "=")) return substring(parts[i], lengthOf(key) + 1);
	return default;
}
