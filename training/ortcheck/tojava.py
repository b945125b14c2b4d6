import json,sys
p=json.load(open(sys.argv[1])); o=open(sys.argv[2],'w')
e=p['encoder']; o.write('ENC %d %s\n'%(len(e['indices']),' '.join('%d %r'%(i,v) for i,v in zip(e['indices'],e['values']))))
for c in p['decoder']:
    n=len(c['point_labels'])
    o.write('DEC %d %s %s %d %r %r %s %d %s\n'%(n,' '.join(repr(float(v)) for xy in c['point_coords'] for v in xy),' '.join(str(float(l)) for l in c['point_labels']),c['has_mask_input'],c['orig_im_size'][0],c['orig_im_size'][1],' '.join(map(repr,c['iou_predictions'])),len(c['low_res_indices']),' '.join('%d %r'%(i,v) for i,v in zip(c['low_res_indices'],c['low_res_values']))))
c=p['decoder_batch']; B=len(c['point_labels']); n=len(c['point_labels'][0])
o.write('BATCH %d %d %s %s %s %s %d %s\n'%(B,n,' '.join(repr(float(v)) for b in c['point_coords'] for xy in b for v in xy),' '.join(str(float(l)) for b in c['point_labels'] for l in b),' '.join(str(h) for h in c['has_mask_input']),' '.join(repr(v) for r in c['iou_predictions'] for v in r),len(c['low_res_indices']),' '.join('%d %r'%(i,v) for i,v in zip(c['low_res_indices'],c['low_res_values']))))
